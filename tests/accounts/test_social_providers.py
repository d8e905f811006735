"""WordPress.com and Mastodon logins, against loopback servers speaking their APIs."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from afterword.social.models import MastodonApp
from afterword.social.providers.mastodon import servers
from tests.support.oauth_servers import MASTODON_USER, WORDPRESS_CLIENT, WORDPRESS_USER
from tests.support.peers import stall, trickle

pytestmark = pytest.mark.django_db


@pytest.fixture
def wordpress(settings, oauth_server):
    settings.AFTERWORD_OUTBOUND_ALLOW = [oauth_server.host]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "wordpress_com": {
            "BASE_URL": oauth_server.url,
            "APPS": [{"client_id": WORDPRESS_CLIENT[0], "secret": WORDPRESS_CLIENT[1]}],
        }
    }
    return oauth_server


@pytest.fixture
def mastodon(settings, oauth_server):
    settings.AFTERWORD_OUTBOUND_ALLOW = [oauth_server.host, "127.0.0.1:9"]
    settings.SOCIALACCOUNT_PROVIDERS = {"mastodon": {"ENABLED": True, "SCHEME": "http"}}
    return oauth_server


def follow_provider(client, response):
    """Play the reader's browser at the provider: consent, come back with a code."""
    assert response.status_code == 302, response.content[:500]
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_wordpress_com_login_creates_an_account_and_shows_on_the_comment_form(
    client, wordpress, post_factory, writer
):
    post = post_factory(author=writer, slug="logged-in")
    start = client.post(
        f"/accounts/wordpress_com/login/?process=login&next={post.get_absolute_url()}"
    )
    authorize = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith(f"{wordpress.url}/oauth2/authorize?")
    assert authorize["client_id"] == [WORDPRESS_CLIENT[0]]
    assert authorize["scope"] == ["auth"]

    finished = follow_provider(client, start)

    assert finished.status_code == 302
    assert finished["Location"] == post.get_absolute_url()
    account = SocialAccount.objects.get(provider="wordpress_com")
    assert account.uid == str(WORDPRESS_USER["ID"])
    assert account.user.email == WORDPRESS_USER["email"]
    page = client.get(post.get_absolute_url()).content.decode()
    assert "You are commenting using your WordPress.com account" in page
    assert 'id="comment-email"' not in page  # no details asked of a logged-in reader
    assert wordpress.state.requests == [
        "GET /oauth2/authorize",
        "POST /oauth2/token",
        "GET /rest/v1/me",
    ]


def test_configured_providers_alone_show_login_links(
    client, wordpress, post_factory, writer
):
    post = post_factory(author=writer, slug="icons")

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Log in with WordPress.com" in page
    assert "Log in with Google" not in page
    assert "Log in with Mastodon" not in page


def test_mastodon_registers_once_per_server_and_logs_in(
    client, mastodon, post_factory, writer
):
    post = post_factory(author=writer, slug="toot")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Log in with Mastodon" in page

    start = client.post(
        f"/accounts/mastodon/login/?process=login&instance=@mima@{mastodon.host}"
        f"&next={post.get_absolute_url()}"
    )
    assert start["Location"].startswith(f"{mastodon.url}/oauth/authorize?")
    finished = follow_provider(client, start)

    assert finished["Location"] == post.get_absolute_url()
    record = MastodonApp.objects.get()
    assert record.instance == mastodon.host
    assert record.redirect_uri == (
        f"http://testserver/accounts/mastodon/login/callback/?instance={mastodon.host}"
    )
    account = SocialAccount.objects.get(provider="mastodon")
    assert account.uid == f"{MASTODON_USER['id']}@{mastodon.host}"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "You are commenting using your Mastodon account" in page

    client.logout()
    again = client.post(
        f"/accounts/mastodon/login/?process=login&instance={mastodon.host}"
    )
    follow_provider(client, again)
    assert len(mastodon.state.registrations) == 1  # the app was remembered
    assert SocialAccount.objects.filter(provider="mastodon").count() == 1
    assert mastodon.state.registrations[0]["scopes"] == "read:accounts"


def test_mastodon_login_with_an_unreachable_server_asks_again(client, mastodon):
    response = client.post(
        "/accounts/mastodon/login/?process=login&instance=127.0.0.1:9"
    )

    assert response.status_code == 400
    assert (
        "Could not use the Mastodon server 127.0.0.1:9. Could not connect to"
        " 127.0.0.1 (Connection refused)." in response.content.decode()
    )
    assert not MastodonApp.objects.exists()


def test_mastodon_login_refuses_a_nonsense_server_name(client, mastodon):
    response = client.post(
        "/accounts/mastodon/login/?process=login&instance=not a host!"
    )

    assert response.status_code == 400
    assert "enter the name of your Mastodon server" in response.content.decode()


@pytest.mark.parametrize(
    "instance",
    ["127.0.0.1:9", "100.64.0.1", "169.254.169.254", "0.0.0.0", "127.1", "2130706433"],
)
def test_mastodon_refuses_servers_off_the_public_internet(settings, client, instance):
    settings.SOCIALACCOUNT_PROVIDERS = {"mastodon": {"ENABLED": True, "SCHEME": "http"}}

    response = client.post(
        f"/accounts/mastodon/login/?process=login&instance={instance}"
    )

    assert response.status_code == 400
    assert "is not on the public internet" in response.content.decode()
    assert not MastodonApp.objects.exists()


def start_mastodon_login(client, server):
    return client.post(
        f"/accounts/mastodon/login/?process=login&instance={server.host}"
    )


def nothing_stored_but_the_app() -> None:
    assert not SocialAccount.objects.exists()
    assert not get_user_model().objects.filter(username="mima").exists()


def test_mastodon_registration_redirected_to_a_private_port_is_refused(
    client, mastodon, peers
):
    elsewhere = peers()  # on loopback, but not in AFTERWORD_OUTBOUND_ALLOW
    mastodon.state.overrides["/api/v1/apps"] = redirect_to(f"{elsewhere.url}/apps")

    response = start_mastodon_login(client, mastodon)

    assert response.status_code == 400
    assert (
        f"Could not use the Mastodon server {mastodon.host}. 127.0.0.1 is not on"
        " the public internet" in response.content.decode()
    )
    assert elsewhere.received == []
    assert not MastodonApp.objects.exists()


@pytest.mark.parametrize(
    "path", ["/oauth/token", "/api/v1/accounts/verify_credentials"]
)
def test_mastodon_login_calls_redirected_to_a_private_port_are_refused(
    client, mastodon, peers, path
):
    elsewhere = peers()
    mastodon.state.overrides[path] = redirect_to(f"{elsewhere.url}{path}")

    finished = follow_provider(client, start_mastodon_login(client, mastodon))

    assert finished.status_code == 502
    page = finished.content.decode()
    assert "Could not log in with Mastodon" in page
    assert "127.0.0.1 is not on the public internet" in page
    assert elsewhere.received == []
    nothing_stored_but_the_app()


def test_mastodon_server_is_checked_again_at_every_call(client, mastodon, settings):
    """Registered while public; by the time of the token call its name points
    somewhere private (here: it left the allow list). DNS rebinding of the
    same kind is shown on the helper in tests/core/test_outbound_pinning.py."""
    start = start_mastodon_login(client, mastodon)
    assert MastodonApp.objects.count() == 1
    settings.AFTERWORD_OUTBOUND_ALLOW = []

    finished = follow_provider(client, start)

    assert finished.status_code == 502
    assert "is not on the public internet" in finished.content.decode()
    assert "POST /oauth/token" not in mastodon.state.requests
    nothing_stored_but_the_app()


def test_mastodon_registration_answer_larger_than_its_cap_is_refused(client, mastodon):
    # More than the 64 KiB a registration may take, then silence: a reader
    # without a cap would wait for the rest.
    mastodon.state.overrides["/api/v1/apps"] = stall(
        200, b'{"name": "' + b"x" * 70_000, hold=3
    )

    started = time.monotonic()
    response = start_mastodon_login(client, mastodon)

    assert time.monotonic() - started < 1.5
    assert response.status_code == 400
    assert "is larger than the limit of 65,536 bytes" in response.content.decode()
    assert not MastodonApp.objects.exists()


def test_a_trickling_mastodon_profile_is_cut_off_at_the_login_time_limit(
    client, mastodon, settings
):
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 1
    mastodon.state.overrides["/api/v1/accounts/verify_credentials"] = trickle(
        every=0.1, limit=4
    )
    start = start_mastodon_login(client, mastodon)

    started = time.monotonic()
    finished = follow_provider(client, start)

    assert time.monotonic() - started < 1.5
    assert finished.status_code == 502
    assert "did not answer in time (the limit is 1 second)" in (
        finished.content.decode()
    )
    nothing_stored_but_the_app()


def redirect_to(location: str):
    def answer(handler) -> None:
        handler.send_response(307)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("mastodon.social", "mastodon.social"),
        ("https://Mastodon.Social/about", "mastodon.social"),
        ("@mima@fosstodon.org", "fosstodon.org"),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_server_names_are_normalised(typed, host):
    assert servers.normalize(typed) == host
