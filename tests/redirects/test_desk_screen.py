"""Settings → Redirects in the desk: list, search, add, edit, delete, and
every refusal as a message on the form with what was typed kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from afterword.accounts.actions import SetRole
from afterword.redirects.models import Redirect
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/desk/settings/redirects/"


def _add(client, **values):
    data = {"intent": "save", "status": "301", "note": ""}
    data.update(values)
    return client.post(URL, data)


def test_the_screen_is_settings_redirects():
    assert reverse("desk:redirects") == URL


def test_an_administrator_adds_edits_and_deletes_a_redirect(administrator, client):
    response = _add(
        administrator,
        old_path="https://127.0.0.1:8000/blog/old-home",
        target_path="/about/",
        note="The old blog's front page",
    )
    assert response.status_code == 302
    redirect = Redirect.objects.get()
    assert (redirect.old_path, redirect.target_path) == ("/blog/old-home/", "/about/")
    assert redirect.source == Redirect.Source.MANUAL
    listed = administrator.get(URL).content.decode()
    assert "/blog/old-home/" in listed
    assert "Saved: /blog/old-home/ now leads to /about/." in listed

    # Edit: the form comes back filled, and a new target is stored.
    form = administrator.get(f"{URL}?edit={redirect.pk}").content.decode()
    assert 'value="/blog/old-home/"' in form
    response = _add(
        administrator,
        id=str(redirect.pk),
        old_path="/blog/old-home/",
        target_path="/contact/",
        status="302",
    )
    assert response.status_code == 302
    redirect.refresh_from_db()
    assert (redirect.target_path, redirect.status) == ("/contact/", 302)
    response = client.get("/blog/old-home/")
    assert (response.status_code, response["Location"]) == (302, "/contact/")

    response = administrator.post(URL, {"intent": "delete", "id": str(redirect.pk)})
    assert response.status_code == 302
    assert not Redirect.objects.exists()
    assert client.get("/blog/old-home/").status_code == 404


def test_search_finds_by_address_post_title_and_note(administrator, publish):
    post = publish(
        title="Tokyo Godfathers",
        slug="tokyo-godfathers",
        published_at=datetime(2024, 5, 3, 12, tzinfo=UTC),
    )
    assert _add(administrator, old_path="/tg/", target_path=post.get_absolute_url())
    assert _add(administrator, old_path="/misc/", target_path="/", note="Spring sale")
    # A redirect to a post's address is stored as a redirect to the post.
    assert Redirect.objects.get(old_path="/tg/").target_post == post

    def found(query: str) -> bool:
        html = administrator.get(URL, {"q": query}).content.decode()
        return '<code class="path">/tg/</code>' in html

    assert found("godfathers")
    assert found("/tg")
    assert not found("spring")
    assert "/misc/" in administrator.get(URL, {"q": "spring"}).content.decode()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"old_path": "", "target_path": "/a/"}, "old_path", "This field is required"),
        ({"old_path": "/a/", "target_path": ""}, "target_path", "required"),
        (
            {"old_path": "/a/", "target_path": "https://evil.example/"},
            "target_path",
            "leads off this site (https://evil.example/)",
        ),
        (
            {"old_path": "/a/", "target_path": "//evil.example/x"},
            "target_path",
            "must be a path on this site",
        ),
        (
            {"old_path": "/a/", "target_path": "javascript:alert(1)"},
            "target_path",
            "leads off this site",
        ),
        (
            {"old_path": "https://evil.example/a/", "target_path": "/b/"},
            "old_path",
            "leads off this site",
        ),
        ({"old_path": "/a", "target_path": "/a/"}, "target_path", "round in circles"),
        ({"old_path": "/a/%ff/", "target_path": "/b/"}, "old_path", "not UTF-8"),
        ({"old_path": "/a/../b/", "target_path": "/c/"}, "old_path", "“..”"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(
    administrator, values, field, message
):
    response = _add(administrator, **values)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert response.context["form"].errors[field]
    for typed in values.values():
        if typed:
            assert f'value="{typed}"' in html
    assert not Redirect.objects.exists()


def test_a_chain_that_comes_back_is_refused(administrator):
    assert _add(administrator, old_path="/a/", target_path="/b/").status_code == 302
    assert _add(administrator, old_path="/b/", target_path="/c/").status_code == 302
    # /a/ now leads straight to /c/.
    assert Redirect.objects.get(old_path="/a/").target_path == "/c/"

    response = _add(administrator, old_path="/c/", target_path="/a/")

    assert response.status_code == 400
    assert "round in circles" in response.content.decode()
    assert Redirect.objects.count() == 2


def test_an_address_showing_a_page_is_refused(administrator, publish):
    post = publish(
        slug="millennium-actress",
        published_at=datetime(2024, 5, 3, 12, tzinfo=UTC),
    )
    factories.TagFactory(name="Anime", slug="anime")

    for address in (post.get_absolute_url(), "/tag/anime/", "/feed/", "/"):
        response = _add(administrator, old_path=address, target_path="/elsewhere/")
        assert response.status_code == 400, address
        assert "shows a page of this site right now" in response.content.decode()
    # A moved post's old address, a missing tag's and a dead one's are free.
    for address in ("/2024/05/gone/", "/tag/nothing/", "/nowhere/at/all/"):
        assert _add(administrator, old_path=address, target_path="/x/").status_code == (
            302
        ), address


def test_the_same_old_address_twice_is_refused(administrator):
    assert _add(administrator, old_path="/a/", target_path="/b/").status_code == 302
    response = _add(administrator, old_path="/a", target_path="/c/")
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize("role", ["author", "editor", "contributor"])
def test_other_roles_get_a_403(client, role):
    user = factories.UserFactory(username=role)
    SetRole(user, role).run()
    client.force_login(user)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"intent": "save", "old_path": "/a/"}).status_code == 403
    assert not Redirect.objects.exists()


def test_a_reader_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_unknown_ids_are_404_not_500(administrator):
    assert administrator.get(URL, {"edit": "99999"}).status_code == 404
    assert administrator.get(URL, {"edit": "x"}).status_code == 200
    assert administrator.post(URL, {"intent": "delete", "id": "7"}).status_code == 404
    assert administrator.post(
        URL, {"intent": "delete", "id": "9" * 40}
    ).status_code == (404)
