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
from django.urls import reverse


def endpoint_url() -> str:
    """The endpoint's address on the site's public address (``SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + reverse("micropub:endpoint")


class MicropubLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            link = f'<{endpoint_url()}>; rel="micropub"'
            existing = response.get("Link")
            response["Link"] = f"{existing}, {link}" if existing else link
        return response
