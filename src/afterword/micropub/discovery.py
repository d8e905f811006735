"""Where clients find the endpoint: ``rel="micropub"`` on every HTML page.

Registered with :mod:`afterword.core.discovery` (in ``apps.py``), which
prints it in each page's ``<head>`` and ``Link`` header.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from afterword.core.urls import absolute


def endpoint_url() -> str:
    """The endpoint's address on the site's public address (``SITE_URL``),
    or "" under a URL map that does not mount it."""
    try:
        path = reverse("micropub:endpoint")
    except NoReverseMatch:
        return ""
    return absolute(path)


def links() -> list[tuple[str, str]]:
    endpoint = endpoint_url()
    return [("micropub", endpoint)] if endpoint else []
