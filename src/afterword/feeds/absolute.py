"""Making a post's stored HTML safe to read outside the site.

Feed readers show a post's HTML on another origin, where ``/media/…`` or
``#fn1`` point nowhere. ``absolutize`` rewrites every ``href``, ``src``,
``poster`` and ``srcset`` URL against the post's own absolute address. The
HTML comes from the sanitiser, which always writes double-quoted attributes,
so one regular expression pass per post is enough; it costs microseconds, so
it runs per request instead of being stored.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from afterword.core.urls import absolute

_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src|poster)=")([^"]*)(")')
_SRCSET_ATTRIBUTE = re.compile(r'(\ssrcset=")([^"]*)(")')
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def site_url(path: str = "/") -> str:
    """``path`` on this site, as an absolute URL built from ``SITE_URL``."""
    return absolute(path)


def absolute_url(url: str, base: str) -> str:
    """``url`` resolved against ``base``; URLs with a scheme are left alone."""
    url = url.strip()
    if not url or _HAS_SCHEME.match(url):
        return url
    if url.startswith("/") and not url.startswith("//"):
        # Stored HTML names the site's own files from its root: under the
        # path of SITE_URL, if it has one (a static copy under /blog/).
        url = urlsplit(settings.SITE_URL).path.rstrip("/") + url
    return urljoin(base, url)


def _srcset(value: str, base: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            parts[0] = absolute_url(parts[0], base)
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolutize(html: str, base: str) -> str:
    """``html`` with every link and media URL made absolute against ``base``."""
    html = _URL_ATTRIBUTE.sub(
        lambda m: m.group(1) + absolute_url(m.group(2), base) + m.group(3), html
    )
    return _SRCSET_ATTRIBUTE.sub(
        lambda m: m.group(1) + _srcset(m.group(2), base) + m.group(3), html
    )
