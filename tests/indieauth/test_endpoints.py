"""The endpoints apps call, through Django's test client.

The browser's part (signing in, the consent page) is in test_browser.py;
codes here are issued by the same action the consent page runs.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from afterword.credentials import auth
from afterword.credentials.actions import IssueAuthorizationCode
from afterword.credentials.models import AccessToken, AuthorizationCode
from afterword.credentials.secrets import digest
from tests.credentials.helpers import (
    basic_auth_header,
    bearer_header,
    make_app_password,
    make_token,
    pkce_pair,
)

pytestmark = pytest.mark.django_db

SITE = "https://books.example"
APP = "https://app.example/"
CALLBACK = "https://app.example/callback"


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def app():
    """A client without cookies, as an app's server is."""
    return Client(enforce_csrf_checks=True)


def issue(user, scopes=("draft", "publish"), **changes):
    verifier, challenge = pkce_pair()
    values = {
        "client_id": APP,
        "redirect_uri": CALLBACK,
        "scopes": scopes,
        "code_challenge": challenge,
        "me": f"{SITE}/author/{user.username}/",
        **changes,
    }
    _row, plain = IssueAuthorizationCode(user, user=user, **values).run()
    return plain, verifier


def redeem(app, plain_code, verifier, path="/indieauth/token", **changes):
    form = {
        "grant_type": "authorization_code",
        "code": plain_code,
        "client_id": APP,
        "redirect_uri": CALLBACK,
        "code_verifier": verifier,
        **changes,
    }
    return app.post(path, form)


def test_metadata_names_every_endpoint_on_the_site_address(app):
    answer = app.get("/.well-known/oauth-authorization-server")
    assert answer.status_code == 200
    document = answer.json()
    assert document["issuer"] == f"{SITE}/"
    assert document["authorization_endpoint"] == f"{SITE}/indieauth/auth"
    assert document["token_endpoint"] == f"{SITE}/indieauth/token"
    assert document["introspection_endpoint"] == f"{SITE}/indieauth/introspect"
    assert document["revocation_endpoint"] == f"{SITE}/indieauth/revoke"
    assert document["revocation_endpoint_auth_methods_supported"] == ["none"]
    assert document["introspection_endpoint_auth_methods_supported"] == ["Bearer"]
    assert document["response_types_supported"] == ["code"]
    assert document["grant_types_supported"] == ["authorization_code"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["authorization_response_iss_parameter_supported"] is True
    assert {
        "create",
        "update",
        "delete",
        "media",
        "draft",
        "publish",
        "profile",
    } <= set(document["scopes_supported"])


def test_a_code_becomes_a_token_once_and_its_replay_revokes_the_token(app, author):
    code, verifier = issue(author)
    answer = redeem(app, code, verifier)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["me"] == f"{SITE}/author/ines/"
    assert set(body["scope"].split()) == {
        "draft",
        "publish",
        "create",
        "update",
        "delete",
        "undelete",
        "media",
    }
    assert 89 * 86400 < body["expires_in"] <= 90 * 86400
    assert answer["Cache-Control"] == "no-store"
    credential = auth.authenticate_bearer(body["access_token"])
    assert credential.user == author and credential.client_id == APP

    replay = redeem(app, code, verifier)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    with pytest.raises(auth.CredentialError):
        auth.authenticate_bearer(body["access_token"])


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_verifier": "x" * 50}, "invalid_grant"),
        ({"redirect_uri": "https://app.example/elsewhere"}, "invalid_grant"),
        ({"client_id": "https://other.example/"}, "invalid_grant"),
        ({"code": "afc_unknown"}, "invalid_grant"),
        ({"code_verifier": ""}, "invalid_request"),
        ({"grant_type": "refresh_token"}, "unsupported_grant_type"),
        ({"grant_type": ""}, "invalid_request"),
    ],
)
def test_a_wrong_exchange_is_an_oauth_error_and_issues_nothing(
    app, author, changes, error
):
    code, verifier = issue(author)
    answer = redeem(app, code, verifier, **changes)
    assert answer.status_code == 400
    assert answer.json()["error"] == error
    assert answer.json()["error_description"]
    assert not AccessToken.objects.exists()


def test_an_expired_code_is_refused(app, author):
    code, verifier = issue(author)
    AuthorizationCode.objects.filter(code_hash=digest(code)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    answer = redeem(app, code, verifier)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert "expired" in answer.json()["error_description"]


def test_a_client_id_spelled_without_its_path_is_the_same_client(app, author):
    code, verifier = issue(author)
    answer = redeem(app, code, verifier, client_id="https://APP.example")
    assert answer.status_code == 200, answer.content


def test_a_profile_only_code_gives_me_at_the_authorization_endpoint(app, author):
    code, verifier = issue(author, scopes=())
    answer = redeem(app, code, verifier, path="/indieauth/auth")
    assert answer.status_code == 200
    assert answer.json() == {"me": f"{SITE}/author/ines/"}
    assert not AccessToken.objects.exists()


def test_a_scoped_code_redeemed_for_a_profile_leaves_no_usable_token(app, author):
    code, verifier = issue(author)
    answer = redeem(app, code, verifier, path="/indieauth/auth")
    assert answer.json() == {"me": f"{SITE}/author/ines/"}
    assert AccessToken.objects.usable().count() == 0


def test_the_token_endpoint_answers_a_profile_only_code_with_me_and_no_token(
    app, author
):
    code, verifier = issue(author, scopes=())
    answer = redeem(app, code, verifier)
    assert answer.json() == {"me": f"{SITE}/author/ines/"}


def test_the_older_token_verification_says_whose_token_it_is(app, author):
    token = make_token(author, {"draft"}, client_id=APP)
    AccessToken.objects.update(me=f"{SITE}/author/ines/")
    answer = app.get("/indieauth/token", HTTP_AUTHORIZATION=bearer_header(token))
    assert answer.json() == {
        "me": f"{SITE}/author/ines/",
        "client_id": APP,
        "scope": "draft media",
    }
    refused = app.get("/indieauth/token", HTTP_AUTHORIZATION="Bearer nope")
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_token"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_introspection_needs_a_credential_and_describes_the_token(app, author):
    token = make_token(author, {"draft", "publish"}, client_id=APP)
    row = AccessToken.objects.get()
    assert app.post("/indieauth/introspect", {"token": token}).status_code == 401

    password = make_app_password(author, "micropub proxy")
    answer = app.post(
        "/indieauth/introspect",
        {"token": token},
        HTTP_AUTHORIZATION=basic_auth_header("ines", password),
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["active"] is True
    assert body["client_id"] == APP
    assert body["iat"] == int(row.created_at.timestamp())
    assert body["exp"] == int(row.expires_at.timestamp())
    assert "create" in body["scope"].split()
    # The token may vouch for itself.
    itself = app.post(
        "/indieauth/introspect",
        {"token": token},
        HTTP_AUTHORIZATION=bearer_header(token),
    )
    assert itself.json()["active"] is True
    unknown = app.post(
        "/indieauth/introspect",
        {"token": "aft_nothing"},
        HTTP_AUTHORIZATION=bearer_header(token),
    )
    assert unknown.json() == {"active": False}


def test_revocation_always_answers_200_and_ends_the_token(app, author):
    token = make_token(author, {"draft"}, client_id=APP)
    other = make_token(author, {"draft"}, client_id=APP)
    assert app.post("/indieauth/revoke", {"token": "aft_unknown"}).status_code == 200
    answer = app.post("/indieauth/revoke", {"token": token})
    assert answer.status_code == 200
    introspected = app.post(
        "/indieauth/introspect",
        {"token": token},
        HTTP_AUTHORIZATION=bearer_header(other),
    )
    assert introspected.json() == {"active": False}
    # The older spec's way, on the token endpoint.
    app.post("/indieauth/token", {"action": "revoke", "token": other})
    with pytest.raises(auth.CredentialError):
        auth.authenticate_bearer(other)


def test_every_endpoint_refuses_cookies_as_credentials(client, author):
    """A signed-in browser's session is no token (no CSRF needed, none honoured)."""
    client.force_login(author)
    answer = client.get("/indieauth/token")
    assert answer.status_code == 401
    assert client.post("/indieauth/introspect", {"token": "x"}).status_code == 401


def test_the_home_page_and_an_author_page_carry_the_discovery_links(
    client, author, post_factory
):
    post_factory(author=author, title="Akira, again", slug="akira-again")
    expected = [
        ("indieauth-metadata", f"{SITE}/.well-known/oauth-authorization-server"),
        ("authorization_endpoint", f"{SITE}/indieauth/auth"),
        ("token_endpoint", f"{SITE}/indieauth/token"),
    ]
    for path in ("/", "/author/ines/"):
        answer = client.get(path)
        assert answer.status_code == 200
        html = answer.content.decode()
        for rel, url in expected:
            assert f'<link rel="{rel}" href="{url}">' in html
            assert f'<{url}>; rel="{rel}"' in answer["Link"]


def test_cached_pages_replay_the_link_header(client, author, post_factory, settings):
    settings.AFTERWORD_PAGE_CACHE = True
    post_factory(author=author, title="Akira, again", slug="akira-again")
    first = client.get("/author/ines/")
    again = client.get("/author/ines/")
    assert again["X-Page-Cache"] == "hit"
    assert again["Link"] == first["Link"]
    assert 'rel="authorization_endpoint"' in again["Link"]


def test_json_answers_are_not_html_and_carry_no_discovery_header(app):
    answer = app.get("/.well-known/oauth-authorization-server")
    assert "Link" not in answer
    assert json.loads(answer.content)["issuer"] == f"{SITE}/"
