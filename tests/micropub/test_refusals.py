"""Bad input and forbidden writes get Micropub's error answers, and change nothing."""

from __future__ import annotations

import pytest
import requests

from afterword.credentials import scopes
from afterword.media.models import Image
from afterword.posts.models import Post
from tests import factories
from tests.credentials.helpers import make_token

from .conftest import CREATE, Client, picture
from .test_conformance import created


@pytest.fixture
def client_for(live_server):
    """Tokens made through the credentials actions the consent page runs.

    These tests are about what a token may do, not how an app got it (the
    conformance suite signs in through Chromium), so they skip the browser.
    """

    def make(user, scope: str = CREATE) -> Client:
        granted = scopes.from_request(scope)
        return Client(live_server.url, make_token(user, granted), granted)

    return make


def _error(response, status: int, error: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert body["error_description"]
    return body["error_description"]


def test_malformed_json_is_an_invalid_request(mp):
    response = requests.post(
        mp.endpoint,
        data=b'{"type": ["h-entry"], "properties": {',
        headers=mp.headers(**{"Content-Type": "application/json"}),
        timeout=30,
    )
    assert "JSON" in _error(response, 400, "invalid_request")
    for body in ([1, 2], {"properties": {"content": ["no type"]}}):
        _error(mp.json(body), 400, "invalid_request")
    assert not Post.objects.exists()


def test_unknown_action_and_unknown_query(mp):
    _error(mp.json({"action": "explode", "url": mp.base + "/"}), 400, "invalid_request")
    _error(mp.form({"action": "explode"}), 400, "invalid_request")
    _error(mp.query(q="everything"), 400, "invalid_request")
    _error(mp.query(), 400, "invalid_request")


def test_an_author_may_not_edit_or_trash_another_authors_post(
    mp, client_for, other_author
):
    post = created(mp.form({"h": "entry", "content": "Ada's"}))
    url = mp.base + post.get_absolute_url()
    intruder = client_for(other_author)
    _error(
        intruder.json({"action": "update", "url": url, "replace": {"content": ["Bo"]}}),
        403,
        "forbidden",
    )
    _error(intruder.form({"action": "delete", "url": url}), 403, "forbidden")
    _error(intruder.query(q="source", url=url), 403, "forbidden")
    post.refresh_from_db()
    assert (post.body, post.status) == ("Ada's", Post.Status.PUBLISHED)


def test_a_contributor_writes_drafts_only_whatever_the_token_says(client_for):
    contributor = factories.writer("contributor", "cy")
    mp = client_for(contributor)
    _error(mp.form({"h": "entry", "content": "Out now"}), 403, "forbidden")
    draft = created(mp.form({"h": "entry", "content": "Draft", "post-status": "draft"}))
    assert draft.status == Post.Status.DRAFT


def test_script_in_html_content_is_sanitised(mp):
    response = mp.json(
        {
            "type": ["h-entry"],
            "properties": {
                "content": [
                    {
                        "html": '<p onclick="steal()">Hi<script>alert(1)</script>'
                        '<a href="javascript:alert(2)">x</a></p>'
                    }
                ]
            },
        }
    )
    post = created(response)
    for stored in (post.body, post.body_html):
        assert "script" not in stored
        assert "onclick" not in stored
        assert "javascript:" not in stored
    served = requests.get(response.headers["Location"], timeout=30).text
    assert "alert(1)" not in served and "steal()" not in served


def test_not_an_image_is_refused_by_the_media_endpoint(mp):
    response = mp.upload("notes.jpg", b"Just some text, not a JPEG.", "image/jpeg")
    assert "not a JPEG, PNG, WebP or GIF" in _error(response, 400, "invalid_request")
    response = requests.post(mp.media_endpoint, headers=mp.headers(), timeout=30)
    _error(response, 400, "invalid_request")
    assert not Image.objects.exists()


def test_a_remote_photo_address_is_refused_and_nothing_is_fetched(mp):
    response = mp.json(
        {
            "type": ["h-entry"],
            "properties": {
                "content": ["Remote"],
                "photo": ["https://elsewhere.example/photo.jpg"],
            },
        }
    )
    description = _error(response, 400, "invalid_request")
    assert "media endpoint" in description
    assert mp.media_endpoint in description
    assert not Post.objects.exists()


def test_a_photo_without_alt_text_is_not_published(mp):
    response = mp.form(
        {"h": "entry", "content": "No alt"},
        files={"photo": ("photo.jpg", picture(), "image/jpeg")},
    )
    assert "alt" in _error(response, 400, "invalid_request")
    assert not Post.objects.exists()


def test_wrong_tokens_and_two_tokens_at_once(mp):
    response = requests.post(
        mp.endpoint,
        data={"h": "entry", "content": "x"},
        headers={"Authorization": "Bearer not-a-token"},
        timeout=30,
    )
    _error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = requests.post(
        mp.endpoint,
        data={"h": "entry", "content": "x", "access_token": "not-a-token"},
        timeout=30,
    )
    _error(response, 401, "unauthorized")
    response = mp.form({"h": "entry", "content": "x", "access_token": mp.token})
    _error(response, 400, "invalid_request")
    assert not Post.objects.exists()


def test_updates_of_what_is_not_a_post_here(mp):
    for url in ("https://elsewhere.example/2026/12/x/", mp.base + "/2026/12/nothing/"):
        _error(
            mp.json({"action": "update", "url": url, "replace": {"content": ["x"]}}),
            400,
            "invalid_request",
        )
    _error(mp.json({"action": "delete"}), 400, "invalid_request")
    _error(mp.form({"h": "entry", "action": "update"}), 400, "invalid_request")


def test_only_h_entry_and_known_statuses(mp):
    _error(
        mp.json({"type": ["h-event"], "properties": {"name": ["Party"]}}),
        400,
        "invalid_request",
    )
    _error(
        mp.form({"h": "entry", "content": "x", "post-status": "maybe"}),
        400,
        "invalid_request",
    )
    _error(
        mp.form({"h": "entry", "content": "x", "published": "yesterday"}),
        400,
        "invalid_request",
    )
    assert not Post.objects.exists()


def test_deleting_twice_is_refused(mp):
    post = created(mp.form({"h": "entry", "content": "Once"}))
    url = mp.base + post.get_absolute_url()
    assert mp.form({"action": "delete", "url": url}).status_code == 204
    _error(mp.form({"action": "delete", "url": url}), 400, "invalid_request")
    _error(
        mp.json({"action": "update", "url": url, "replace": {"content": ["x"]}}),
        400,
        "invalid_request",
    )


def test_adding_to_a_property_that_holds_one_value_is_refused(mp):
    post = created(mp.form({"h": "entry", "name": "Title", "content": "Text"}))
    url = mp.base + post.get_absolute_url()
    for name in ("content", "name"):
        _error(
            mp.json({"action": "update", "url": url, "add": {name: ["More"]}}),
            400,
            "invalid_request",
        )
    post.refresh_from_db()
    assert (post.title, post.body) == ("Title", "Text")


def test_a_credential_past_its_rate_is_told_when_to_come_back(mp, settings):
    settings.AFTERWORD_API_RATE_PER_MINUTE = 2
    assert mp.query(q="config").status_code == 200
    assert mp.query(q="config").status_code == 200
    response = mp.query(q="config")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 120
