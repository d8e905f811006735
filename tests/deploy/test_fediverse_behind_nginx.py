"""The fediverse's and Webmention's requests through the documented nginx block.

nginx answers readers from page files, which hold HTML only. A server asking
an author page for ActivityStreams must get the actor from the app even when
that page's file exists, WebFinger at the domain root must reach the app, and
the page files stay for readers (docs/fediverse.md, "Behind a reverse
proxy").
"""

from __future__ import annotations

import json

import pytest

from tests import factories

from . import nginx

AS = "application/activity+json"


@pytest.fixture
def site(front, settings):
    settings.AFTERWORD_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SITE_URL = nginx.ORIGIN
    settings.AFTERWORD_PAGE_CACHE_DIR = str(front["pages"])
    settings.AFTERWORD_PAGE_CACHE = True
    return front


def test_activitystreams_requests_pass_the_page_files(site, post_factory):
    author = factories.UserFactory(username="ada", display_name="Ada")
    post = post_factory(author=author, slug="rose", title="Magnetic Rose")
    reader = nginx.Client(site["port"])
    for path in ("/author/ada/", post.get_absolute_url(), "/"):
        reader.request("GET", path)  # written to a page file
        status, headers, _ = reader.request("GET", path)
        assert (status, headers["X-Page-Cache"]) == (200, "nginx"), path
        # A page file names the Webmention endpoint as the app's pages do.
        assert f'<{nginx.ORIGIN}/webmention>; rel="webmention"' in headers["Link"]
        for accept in (AS, 'application/ld+json; profile="x"'):
            status, headers, body = reader.request("GET", path, Accept=accept)
            assert status == 200, path
            assert headers["Content-Type"].startswith(AS), path
            assert headers.get("X-Page-Cache") != "nginx"
            assert json.loads(body)["id"].startswith(nginx.ORIGIN)
    status, headers, body = reader.request(
        "GET", "/.well-known/webfinger?resource=acct:ada@reviews.example.org"
    )
    assert status == 200
    assert json.loads(body)["links"][0]["href"] == f"{nginx.ORIGIN}/author/ada/"
