"""Comparing addresses, and finding the links a page makes."""

from __future__ import annotations

import hashlib
from urllib.parse import urljoin, urlsplit, urlunsplit

from .discovery import parse_html

DEFAULT_PORTS = {"http": 80, "https": 443}
# Elements whose attribute names another resource (the spec's examples:
# a link, an image, a video…).
LINKING = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "video": "src",
    "audio": "src",
    "source": "src",
    "iframe": "src",
    "blockquote": "cite",
    "q": "cite",
}


def is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def normalise(url: str) -> str:
    """``url`` compared as the same resource: lower-case scheme and host, no
    default port, "/" for an empty path, no fragment."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def links_in(html: str, base: str) -> list[str]:
    """Every http(s) address the page links to, resolved, in order, once."""
    document = parse_html(html)
    if document is None:
        return []
    found: dict[str, None] = {}
    for element in document.iter(*LINKING):
        value = element.get(LINKING[element.tag])
        if not value:
            continue
        absolute = urljoin(base, value.strip())
        if is_http_url(absolute):
            found.setdefault(absolute.split("#", 1)[0], None)
    return list(found)


def links_to(html: str, base: str, target: str) -> bool:
    wanted = normalise(target)
    return any(normalise(url) == wanted for url in links_in(html, base))


def digest(post) -> str:
    """What a send remembers of a post's HTML: unchanged, nothing to tell."""
    return hashlib.sha256(post.body_html.encode()).hexdigest()
