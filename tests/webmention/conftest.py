"""Other sites on loopback: pages that mention our posts, endpoints that
record what we send. Webmention talks to strangers, so ``core.outbound``
runs in its open-web mode; the test-only switch lets it reach loopback."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from afterword.posts.seo import absolute_url
from tests.portability.conftest import wxr_dir  # noqa: F401
from tests.support.peers import Peer, peers, send  # noqa: F401


@pytest.fixture(autouse=True)
def _open_web_reaches_loopback(settings):
    settings.AFTERWORD_FEDERATION_ALLOW_PRIVATE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_site(peers):  # noqa: F811
    return peers()


def html_page(body: str, head: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><meta charset=utf-8>{head}</head>"
        f"<body>{body}</body></html>"
    ).encode()


def serve(peer: Peer, path: str, html: str, status: int = 200, **headers) -> str:
    """Answer ``path`` on ``peer`` with a page; its address."""
    peer.answer(
        path,
        html_page(html) if not html.lstrip().startswith("<!") else html.encode(),
        status,
        **{"Content-Type": "text/html; charset=utf-8", **headers},
    )
    return f"{peer.url}{path}"


def post_url(post) -> str:
    return absolute_url(post.get_absolute_url())


@pytest.fixture
def public_post(post_factory):
    return post_factory(title="Notes on Stalker", slug="notes-on-stalker")
