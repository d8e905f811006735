"""The whole sign-in in Chromium: an app on 127.0.0.1 sends the writer to the
site, the writer signs in and answers the consent page, and the app trades
the code for a token with ``requests``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from afterword.credentials import auth
from afterword.credentials.models import AccessToken, AuthorizationCode

from .flow import (
    Attempt,
    answer_consent,
    app_server,
    approve_in_browser,
    introspect,
    obtain_token_in_browser,
    sign_in_if_asked,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app():
    with app_server() as server:
        yield server


def test_a_writer_signs_an_app_in_and_its_token_works(page, site, author, app):
    attempt = Attempt.start(site, app.url + "/")
    page.goto(attempt.authorize_url)
    assert "/accounts/login/" in page.url
    sign_in_if_asked(page, "ines", "correct horse battery staple")
    consent = page.locator("main")
    assert app.url + "/" in consent.inner_text()
    assert f"{site}/author/ines/" in consent.inner_text()
    assert page.is_checked("#grant-draft") and page.is_checked("#grant-publish")

    query = answer_consent(page, attempt, "allow")
    assert query["state"] == attempt.state
    metadata = requests.get(
        f"{site}/.well-known/oauth-authorization-server", timeout=10
    ).json()
    assert query["iss"] == metadata["issuer"] == f"{site}/"
    assert any(r.path.startswith("/callback?") for r in app.received)

    answer = attempt.exchange(query["code"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["me"] == f"{site}/author/ines/"
    assert {"create", "media", "draft", "publish"} <= set(body["scope"].split())
    credential = auth.authenticate_bearer(body["access_token"])
    assert credential.user.username == "ines"
    assert credential.scopes == {"draft", "publish"}
    assert introspect(site, body["access_token"], body["access_token"])["active"]

    # The app's code leaked and is replayed: refused, and the token revoked.
    replay = attempt.exchange(query["code"])
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    with pytest.raises(auth.CredentialError):
        auth.authenticate_bearer(body["access_token"])


def test_an_unticked_scope_is_not_granted(page, site, author, app):
    attempt = Attempt.start(site, app.url + "/")
    query = approve_in_browser(page, attempt, "ines", untick=["publish"])
    body = attempt.exchange(query["code"]).json()
    assert body["scope"] == "draft media"
    assert AccessToken.objects.get().scopes == "draft"


@pytest.mark.parametrize(
    "changes",
    [{"code_verifier": "w" * 64}, {"redirect_uri": "http://127.0.0.1:9/callback"}],
    ids=["wrong verifier", "wrong redirect_uri"],
)
def test_a_code_with_the_wrong_proof_is_refused(page, site, author, app, changes):
    attempt = Attempt.start(site, app.url + "/")
    query = approve_in_browser(page, attempt, "ines")
    answer = attempt.exchange(query["code"], **changes)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_an_expired_code_is_refused(page, site, author, app):
    attempt = Attempt.start(site, app.url + "/")
    query = approve_in_browser(page, attempt, "ines")
    AuthorizationCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    answer = attempt.exchange(query["code"])
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_deny_sends_the_app_access_denied(page, site, author, app):
    attempt = Attempt.start(site, app.url + "/")
    page.goto(attempt.authorize_url)
    sign_in_if_asked(page, "ines", "correct horse battery staple")
    query = answer_consent(page, attempt, "deny")
    assert query["error"] == "access_denied"
    assert query["state"] == attempt.state
    assert query["iss"] == f"{site}/"
    assert not AuthorizationCode.objects.exists()


def test_a_redirect_to_another_host_stops_on_an_error_page(page, site, author, app):
    with app_server() as stranger:
        attempt = Attempt.start(
            site, app.url + "/", redirect_uri=stranger.url + "/callback"
        )
        page.goto(attempt.authorize_url)
        sign_in_if_asked(page, "ines", "correct horse battery staple")
        assert page.url.startswith(site)
        assert "This app cannot sign you in" in page.locator("h1").inner_text()
        assert stranger.received == []


def test_a_revoked_token_is_inactive(page, site, author):
    token = obtain_token_in_browser(page, site, "ines")
    other = obtain_token_in_browser(page, site, "ines", scope="media")
    assert introspect(site, token, other)["active"] is True
    revoked = requests.post(
        f"{site}/indieauth/revoke", data={"token": token}, timeout=10
    )
    assert revoked.status_code == 200
    assert introspect(site, token, other) == {"active": False}
    assert introspect(site, other, other)["active"] is True


def test_the_home_and_author_pages_carry_the_discovery_links_in_chromium(
    page, site, author, post_factory
):
    post_factory(author=author, title="Perfect Blue", slug="perfect-blue")
    for path in ("/", "/author/ines/"):
        response = page.goto(site + path)
        links = page.eval_on_selector_all(
            "head link[rel=authorization_endpoint], head link[rel=token_endpoint], "
            "head link[rel=indieauth-metadata]",
            "nodes => nodes.map(n => [n.rel, n.href])",
        )
        assert sorted(links) == [
            ["authorization_endpoint", f"{site}/indieauth/auth"],
            ["indieauth-metadata", f"{site}/.well-known/oauth-authorization-server"],
            ["token_endpoint", f"{site}/indieauth/token"],
        ]
        assert (
            f'<{site}/indieauth/auth>; rel="authorization_endpoint"'
            in (response.headers["link"])
        )


def test_the_consent_page_passes_axe_in_light_and_dark(browser, site, author, app):
    from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

    context = browser.new_context(
        bypass_csp=True, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    attempt = Attempt.start(site, app.url + "/", scope="create media read profile")
    page.goto(attempt.authorize_url)
    sign_in_if_asked(page, "ines", "correct horse battery staple")
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        found[scheme] = [
            v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS
        ]
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert found == {"light": [], "dark": []}
    assert width <= 375
