"""The authorization endpoint's checks, before and around the consent page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from afterword.credentials.models import AuthorizationCode
from tests import factories
from tests.credentials.helpers import pkce_pair

pytestmark = pytest.mark.django_db

SITE = "https://books.example"
APP = "https://app.example/"


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.SITE_URL = SITE


def request_query(**changes) -> dict[str, str]:
    _verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": APP,
        "redirect_uri": "https://app.example/callback?from=quill",
        "state": "s-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "scope": "create media",
    }
    query.update(changes)
    return {name: value for name, value in query.items() if value is not None}


def authorize(client, **changes):
    return client.get("/indieauth/auth?" + urlencode(request_query(**changes)))


def landing(answer) -> dict[str, str]:
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer["Location"]).query)
    return {name: values[0] for name, values in query.items()}


@pytest.mark.parametrize(
    "client_id",
    [
        "ftp://app.example/",
        "https://app.example/#here",
        "https://user:pw@app.example/",
        "https://192.0.2.7/",
        "https://app.example/a/../b",
        "app.example",
        "",
    ],
)
def test_an_invalid_client_id_is_an_error_page_and_no_redirect(
    client, author, client_id
):
    client.force_login(author)
    answer = authorize(client, client_id=client_id)
    assert answer.status_code == 400
    assert "Location" not in answer
    assert "This app cannot sign you in" in answer.content.decode()


def test_a_redirect_to_another_host_is_refused_without_going_there(client, author):
    client.force_login(author)
    answer = authorize(client, redirect_uri="https://evil.example/catch")
    assert answer.status_code == 400
    assert "Location" not in answer
    page = answer.content.decode()
    assert "https://evil.example/catch" in page
    assert "Nothing was sent there" in page


def test_a_loopback_client_may_use_its_own_port(client, author):
    client.force_login(author)
    answer = authorize(
        client,
        client_id="http://127.0.0.1:8123/",
        redirect_uri="http://127.0.0.1:8123/callback",
    )
    assert answer.status_code == 200
    assert "form-action" in answer["Content-Security-Policy"]
    assert "http://127.0.0.1:8123" in answer["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"state": None}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_other_faults_go_back_to_the_verified_app_as_errors(
    client, author, changes, error
):
    client.force_login(author)
    query = landing(authorize(client, **changes))
    assert query["error"] == error
    assert query["from"] == "quill"
    assert query["iss"] == f"{SITE}/"
    if "state" not in changes:
        assert query["state"] == "s-123"


def test_a_signed_out_visitor_signs_in_first_and_comes_back(client):
    answer = authorize(client)
    assert answer.status_code == 302
    target = urlsplit(answer["Location"])
    assert target.path == "/accounts/login/"
    back = parse_qs(target.query)["next"][0]
    assert back.startswith("/indieauth/auth?")
    assert parse_qs(urlsplit(back).query)["state"] == ["s-123"]


def test_a_reader_without_a_writer_role_is_refused_clearly(client):
    reader = factories.UserFactory(username="reader")
    client.force_login(reader)
    answer = authorize(client)
    assert answer.status_code == 403
    assert "Only writers can sign in to apps here" in answer.content.decode()


def test_the_consent_page_shows_the_app_me_and_each_scope(client, author):
    client.force_login(author)
    answer = authorize(client, scope="create update media profile")
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "https://app.example/" in page
    assert f"{SITE}/author/ines/" in page
    assert 'name="grant" value="draft"' in page
    assert 'name="grant" value="publish"' in page
    assert 'value="moderate"' not in page
    assert 'name="decision" value="allow"' in page
    assert 'name="decision" value="deny"' in page
    assert "<script>" not in page and "style=" not in page
    assert answer["Cache-Control"].startswith("max-age=0")


def test_the_consent_form_needs_its_csrf_token(author):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    form = {**request_query(), "decision": "allow", "grant": ["draft"]}
    answer = browser.post("/indieauth/consent", form)
    assert answer.status_code == 403
    assert not AuthorizationCode.objects.exists()


def test_allowing_with_a_scope_unticked_grants_only_the_rest(client, author):
    client.force_login(author)
    form = {**request_query(), "decision": "allow", "grant": ["draft", "moderate"]}
    query = landing(client.post("/indieauth/consent", form))
    assert query["state"] == "s-123" and query["iss"] == f"{SITE}/"
    code = AuthorizationCode.objects.get()
    # "moderate" was never asked for, so it is not given either.
    assert code.scopes == "draft"
    assert code.me == f"{SITE}/author/ines/"
    assert code.redirect_uri == "https://app.example/callback?from=quill"


def test_denying_sends_access_denied_and_issues_nothing(client, author):
    client.force_login(author)
    form = {**request_query(), "decision": "deny", "grant": ["draft"]}
    query = landing(client.post("/indieauth/consent", form))
    assert query["error"] == "access_denied"
    assert query["state"] == "s-123"
    assert not AuthorizationCode.objects.exists()


def test_a_tampered_consent_form_is_checked_again(client, author):
    client.force_login(author)
    form = {
        **request_query(redirect_uri="https://evil.example/"),
        "decision": "allow",
    }
    answer = client.post("/indieauth/consent", form)
    assert answer.status_code == 400
    assert "Location" not in answer
    assert not AuthorizationCode.objects.exists()


def test_the_pages_a_writer_may_see_are_valid_html(client, author, tmp_path):
    from tests.support.html_checks import nu_errors

    client.force_login(author)
    pages = {
        "consent": authorize(client, scope="create media profile").content,
        "profile only": authorize(client, scope="profile").content,
        "error": authorize(client, redirect_uri="https://evil.example/").content,
    }
    client.force_login(factories.UserFactory(username="reader"))
    pages["refused"] = authorize(client).content
    assert nu_errors(pages, tmp_path / "nu") == []


def test_a_writer_without_posts_is_the_site_itself_until_their_page_exists(
    client, new_writer
):
    """An app fetches ``me``; an author page answers only once it lists a post."""
    client.force_login(new_writer)
    page = authorize(client).content.decode()
    assert f'class="indieauth-address" href="{SITE}/">{SITE}/</a>' in page
    assert client.get("/author/nadia/").status_code == 404
    assert client.get("/").status_code == 200
