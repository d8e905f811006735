"""Pages rendered for a static copy of the site, which has no server behind it.

The static build (``portability.staticsite``) renders every page through its
own view, with a ``StaticCopy`` on the request. What only a running server
can answer asks this module how to print itself, so the build writes what
it rendered and never edits a page afterwards:

* a form or link that needs the server (posting a comment, logging in,
  following, writing to an author, the reading beacon) points at the live
  site named by ``--comments-endpoint``, or is left out when there is none
  (``server_address``);
* page N of a listing is a folder, not a query (``page_address``);
* scripts carry no CSP nonce: a static copy has no per-reader header to name
  one (``nonce_of``, ``nonce_attribute``);
* addresses come out under the copy's base path, or relative to the page,
  through Django's script prefix, which ``reverse()`` and the storages' URLs
  honour (``core.urls.site_path`` turns them back into root paths for
  absolute URLs), and stored HTML is given the same prefix when printed
  (``under_prefix``).

On the live site none of this changes a byte: there is no ``StaticCopy`` on
the request and the script prefix is ``/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .urls import site_path

ATTRIBUTE = "afterword_static_copy"


@dataclass(frozen=True)
class StaticCopy:
    """How the page being rendered will be published."""

    # The live site that answers forms and logins ("https://example.org"),
    # or "" when the copy has none.
    server: str = ""


def of(request) -> StaticCopy | None:
    """The static copy ``request`` renders for, or None on the live site."""
    return getattr(request, ATTRIBUTE, None) if request is not None else None


def server_address(request, path: str) -> str | None:
    """Where a page should send what only a server answers (``path``, as
    ``reverse()`` gave it): the path itself on the live site; on a static
    copy, the same address on its server, or None when it has none."""
    copy = of(request)
    if copy is None:
        return path
    if not copy.server:
        return None
    return copy.server.rstrip("/") + site_path(path)


def page_address(request, number: int, query: str = "") -> str:
    """The address of page ``number`` of the listing at ``request.path``.

    Page 1 is the listing's own address and page N ``?page=N`` after the
    listing's filters (``query``: "kind=film&"). A static copy has no query
    strings: page N of an unfiltered listing is the folder
    ``<address>page/N/``, where the build writes it for a view with
    ``pages_as_folders`` (``portability.staticsite.resolve_address``).
    """
    if number == 1 and not query:
        return request.path
    if of(request) is not None and not query:
        return f"{request.path}page/{number}/"
    return f"{request.path}?{query}page={number}"


def has_server(request) -> bool:
    """Whether forms can be posted from the page: always on the live site;
    on a static copy, when it names a server."""
    copy = of(request)
    return copy is None or bool(copy.server)


def nonce_of(request) -> str:
    """The request's CSP nonce, or "" when it has none (a static copy).

    django-csp's nonce is lazy and falsy until read: ``str()`` makes it, so
    the response's header names the nonce the page prints.
    """
    lazy = getattr(request, "csp_nonce", None) if request is not None else None
    return str(lazy) if lazy is not None else ""


def nonce_attribute(nonce: str) -> SafeString:
    """`` nonce="…"`` for a script element, or nothing without a nonce."""
    return format_html(' nonce="{}"', nonce) if nonce else SafeString("")


def under_script_prefix(address: str) -> str:
    """A root-relative ``address`` (``/media/a.jpg``) under the script prefix
    of the page being rendered; others as they are."""
    prefix = get_script_prefix()
    if prefix == "/" or not address.startswith("/") or address.startswith("//"):
        return address
    return prefix + address[1:]


class UnderScriptPrefix:
    """A storage mixin: ``url()`` honours the script prefix, as ``reverse()``
    does, so a static copy's pictures and style sheets sit under its base
    path or relative to each page like its links. Django's storages read
    ``MEDIA_URL`` and ``STATIC_URL`` once, with the prefix of that moment."""

    def url(self, name, *args, **kwargs) -> str:
        return under_script_prefix(super().url(name, *args, **kwargs))


# Root-relative addresses in stored HTML: ``href="/…"``, ``src="/…"`` (not
# ``//host``), and each address of a ``srcset``.
_ROOTED = re.compile(r'(\s(?:href|src)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def under_prefix(html: str) -> SafeString:
    """Stored HTML (a post's body, a comment) with its root-relative
    addresses under the script prefix the page is rendered with.

    Bodies are rendered to HTML when they are saved, for the live site whose
    prefix is ``/``; a copy published under ``/blog/``, or with links
    relative to each page, prints them under its own prefix. On the live
    site this returns the HTML as it is.
    """
    prefix = get_script_prefix()
    if prefix == "/" or not html:
        return mark_safe(html)
    html = _ROOTED.sub(lambda m: m.group(1) + prefix, html)
    if " srcset=" in html:
        html = _SRCSET.sub(
            lambda m: m.group(1) + _srcset(m.group(2)) + m.group(3), html
        )
    return mark_safe(html)


def _srcset(value: str) -> str:
    items = []
    for item in value.split(","):
        address, _, size = item.strip().partition(" ")
        items.append(f"{under_script_prefix(address)} {size}".rstrip())
    return ", ".join(items)
