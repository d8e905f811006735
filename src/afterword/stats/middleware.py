"""Counting feed fetches, including those the page cache answers.

Feeds are not HTML, so nginx never serves them from page files: every fetch
reaches the app. But the page cache answers most of them before Django has
even resolved the address, so a counter in the feed views would miss them.
This middleware sits just before ``PageCacheMiddleware`` in ``MIDDLEWARE``
and looks at every answer on the way out, cached or not: a successful
``GET`` (200, or 304 for a reader whose copy is current) of an address that
resolves to a syndication feed counts one fetch of that kind of feed (its
URL name, such as ``feeds:rss``), so no address a client invents makes a
row of its own. Fetches are written a few seconds at a time
(``feedcounts``), not one row update per fetch.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from . import feedcounts


def feed_name(request: HttpRequest) -> str | None:
    """The URL name of the feed this request asks for, if it is one."""
    path = request.path_info
    # Every feed address has a feed/ segment: skip resolving the rest.
    if "/feed/" not in path:
        return None
    try:
        match = resolve(path, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if not isinstance(match.func, Feed) or not match.url_name:
        return None
    return match.view_name


class FeedFetchMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "GET" and response.status_code in (200, 304):
            name = feed_name(request)
            if name is not None:
                # Added up in memory, written every few seconds (feedcounts).
                feedcounts.pending.add(name)
        return response
