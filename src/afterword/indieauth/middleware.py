"""The discovery ``Link`` header on every HTML page.

It sits after the page cache in ``MIDDLEWARE``, so the header is part of
the response the cache stores and replays. Page files served by nginx have
no headers of ours; the same links are in each page's ``<head>``
(``{% indieauth_links %}``), which is where clients look next.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import discovery


class DiscoveryLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            ours = discovery.link_header()
            existing = response.get("Link", "")
            if ours:
                response["Link"] = f"{existing}, {ours}" if existing else ours
        return response
