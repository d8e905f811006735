"""Finding a page's Webmention endpoint, as the spec's section 3.1.2 says.

1. Fetch the target, following redirects (``core.outbound`` does); relative
   addresses are resolved against the *final* address.
2. An HTTP ``Link`` header with ``rel`` holding ``webmention`` wins (several
   headers, several comma-separated links, several space-separated rels).
3. Otherwise the first ``<link>`` or ``<a>`` element, in document order,
   whose ``rel`` holds ``webmention`` and which has an ``href``. An empty
   ``href`` is the page itself; elements inside HTML comments are not
   elements at all, so they never count.
4. The endpoint keeps its own query string: the caller adds ``source`` and
   ``target`` in the form body.

Also where the site advertises its own endpoint (``links``), for
``core.discovery``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin

import lxml.html
from django.urls import NoReverseMatch, reverse
from lxml import etree

from afterword.core import outbound
from afterword.core.urls import absolute

PURPOSE = "webmention"
FETCH_TIMEOUT = 10.0
FETCH_MAX_BYTES = 1024 * 1024
# ``<uri>`` then its parameters, up to the next link of the same header.
_LINK_VALUE = re.compile(r"<([^>]*)>([^<]*)")
_REL_PARAM = re.compile(
    r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE
)


def endpoint_url() -> str:
    """Our endpoint on the site's public address, or "" when not mounted."""
    try:
        path = reverse("webmention:endpoint")
    except NoReverseMatch:
        return ""
    return absolute(path)


def links() -> list[tuple[str, str]]:
    endpoint = endpoint_url()
    return [("webmention", endpoint)] if endpoint else []


@dataclass(frozen=True)
class Discovered:
    """The endpoint of a page ("" when it has none) and the page's final URL."""

    endpoint: str
    final_url: str


def discover(url: str) -> Discovered:
    """Fetch ``url`` and find its endpoint; ``OutboundError`` if unreachable."""
    response = outbound.get(
        url,
        purpose=PURPOSE,
        open_web=True,
        timeout=FETCH_TIMEOUT,
        max_bytes=FETCH_MAX_BYTES,
        headers={"Accept": "text/html, */*;q=0.5"},
    )
    if not response.ok:
        return Discovered("", response.url)
    found = from_headers(response.headers, response.url)
    if found is None and _is_html(response.headers):
        found = from_html(response.text, response.url)
    return Discovered(found or "", response.url)


def _is_html(headers: Message) -> bool:
    kind = headers.get_content_type()
    return kind in ("text/html", "application/xhtml+xml") or not headers.get(
        "Content-Type"
    )


def from_headers(headers: Message, base: str) -> str | None:
    """The first ``Link`` with ``rel=webmention``, resolved against ``base``."""
    for value in headers.get_all("Link") or []:
        for match in _LINK_VALUE.finditer(value):
            rel = _REL_PARAM.search(match.group(2))
            if rel is None:
                continue
            rels = (rel.group(1) or rel.group(2) or "").lower().split()
            if "webmention" in rels:
                return urljoin(base, match.group(1).strip())
    return None


def from_html(html: str, base: str) -> str | None:
    """The first ``<link>``/``<a>`` with ``rel`` holding webmention."""
    document = parse_html(html)
    if document is None:
        return None
    for element in document.iter("link", "a"):
        rels = (element.get("rel") or "").lower().split()
        href = element.get("href")
        if "webmention" in rels and href is not None:
            return urljoin(base, href.strip())
    return None


def parse_html(html: str):
    """An lxml tree of ``html``, or None when there is nothing to parse."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
