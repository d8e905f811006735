"""What the site learns from fetching ``client_id``, through core.outbound.

Each app is a loopback server (``peers``) the outbound allow-list lets the
site reach, as a public server would be.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.credentials.helpers import pkce_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.SITE_URL = "https://books.example"


def consent_page(client, client_id: str, redirect_uri: str):
    _verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "scope": "create",
    }
    return client.get("/indieauth/auth?" + urlencode(query))


def test_json_metadata_names_the_app_and_vouches_for_another_host(
    client, author, peers, settings
):
    app, elsewhere = peers(), peers()
    settings.AFTERWORD_OUTBOUND_ALLOW = [app.host]
    document = {
        "client_id": app.url + "/",
        "client_name": "Quillish",
        "client_uri": app.url + "/",
        "logo_uri": "https://cdn.example/logo.png",
        "redirect_uris": [elsewhere.url + "/back"],
    }
    app.answer(
        "/", json.dumps(document).encode(), **{"Content-Type": "application/json"}
    )
    client.force_login(author)
    answer = consent_page(client, app.url + "/", elsewhere.url + "/back")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Sign in to Quillish" in page
    assert 'src="https://cdn.example/logo.png"' in page
    assert app.received[0].headers["Accept"].startswith("application/json")
    # Not listed: refused, without a redirect.
    refused = consent_page(client, app.url + "/", elsewhere.url + "/other")
    assert refused.status_code == 400 and "Location" not in refused


def test_an_h_app_page_and_its_redirect_links_are_read(client, author, peers, settings):
    app, elsewhere = peers(), peers()
    settings.AFTERWORD_OUTBOUND_ALLOW = [app.host]
    html = f"""<!doctype html><html><head>
<link rel="redirect_uri" href="{elsewhere.url}/from-link">
</head><body><div class="h-app"><img class="u-logo" src="/logo.png" alt="">
<a class="u-url p-name" href="/">Writer&#39;s <b>Pad</b></a></div>
<p class="p-name">Not the name</p></body></html>"""
    app.answer(
        "/",
        html.encode(),
        **{
            "Content-Type": "text/html; charset=utf-8",
            "Link": f'<{elsewhere.url}/from-header>; rel="redirect_uri"',
        },
    )
    client.force_login(author)
    for target in ("/from-link", "/from-header"):
        answer = consent_page(client, app.url + "/", elsewhere.url + target)
        assert answer.status_code == 200, target
        assert "Sign in to Writer&#x27;s Pad" in answer.content.decode()
    # The logo is http, which the consent page's policy would not load.
    assert "/logo.png" not in answer.content.decode()
    assert len(app.received) == 1, "the description is kept, not fetched again"


def test_a_client_that_cannot_be_fetched_still_signs_in(
    client, author, peers, settings
):
    app = peers()
    settings.AFTERWORD_OUTBOUND_ALLOW = [app.host]
    app.answer("/", b"down for maintenance", status=503)
    client.force_login(author)
    answer = consent_page(client, app.url + "/", app.url + "/callback")
    assert answer.status_code == 200
    assert "Sign in to an app" in answer.content.decode()
    assert app.url + "/" in answer.content.decode()


def test_a_private_address_is_never_fetched(client, author, peers):
    """Without the allow-list a loopback app is not reached (core.outbound),
    and the consent page shows its address alone."""
    app = peers()
    client.force_login(author)
    answer = consent_page(client, app.url + "/", app.url + "/callback")
    assert answer.status_code == 200
    assert app.received == []
