"""WordPress.com and Mastodon logins, against loopback servers speaking their APIs."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from afterword.social.models import MastodonApp
from afterword.social.providers.mastodon import servers
from tests.support.oauth_servers import MASTODON_USER, WORDPRESS_CLIENT, WORDPRESS_USER

pytestmark = pytest.mark.django_db


@pytest.fixture
def wordpress(settings, oauth_server):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "wordpress_com": {
            "BASE_URL": oauth_server.url,
            "APPS": [{"client_id": WORDPRESS_CLIENT[0], "secret": WORDPRESS_CLIENT[1]}],
        }
    }
    return oauth_server


@pytest.fixture
def mastodon(settings, oauth_server):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "mastodon": {"ENABLED": True, "SCHEME": "http", "ALLOW_PRIVATE_SERVERS": True}
    }
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
        "Could not connect to the Mastodon server 127.0.0.1:9"
        in response.content.decode()
    )
    assert not MastodonApp.objects.exists()


def test_mastodon_login_refuses_a_nonsense_server_name(client, mastodon):
    response = client.post(
        "/accounts/mastodon/login/?process=login&instance=not a host!"
    )

    assert response.status_code == 400
    assert "enter the name of your Mastodon server" in response.content.decode()


def test_mastodon_refuses_private_servers_unless_allowed(settings, client):
    settings.SOCIALACCOUNT_PROVIDERS = {"mastodon": {"ENABLED": True, "SCHEME": "http"}}

    response = client.post(
        "/accounts/mastodon/login/?process=login&instance=127.0.0.1:9"
    )

    assert response.status_code == 400
    assert "not on the public internet" in response.content.decode()


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
