"""Where clients find the endpoint: ``rel="micropub"`` on every HTML page.

The theme's ``<head>`` prints ``<link rel="micropub">`` (``{% micropub_link %}``
at ``hook:head``) and :class:`MicropubLinkMiddleware` adds the same address
as an HTTP ``Link`` header. The middleware sits inside the page cache, which
stores a page's headers with it, so a cached page carries the header too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse


def endpoint_url() -> str:
    """The endpoint's address on the site's public address (``SITE_URL``),
    or "" under a URL map that does not mount it."""
    try:
        path = reverse("micropub:endpoint")
    except NoReverseMatch:
        return ""
    return settings.SITE_URL.rstrip("/") + path


class MicropubLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        endpoint = endpoint_url()
        if endpoint and response.get("Content-Type", "").startswith("text/html"):
            link = f'<{endpoint}>; rel="micropub"'
            existing = response.get("Link")
            response["Link"] = f"{existing}, {link}" if existing else link
        return response
