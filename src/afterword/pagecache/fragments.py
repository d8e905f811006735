"""Values computed once per content version and shared by every process.

Parts of a page that every request needs but that change only when content
changes (the navigation's pages and categories, a post's neighbours, a
series' table of contents) can be kept here instead of being queried on each
render::

    from afterword.pagecache.fragments import remember

    nav = remember("site-nav", build_site_nav)

``build`` runs on the first call after any public change (``core.changes``); later
calls, in any worker, read the stored value (one cache read, plus the one for
the version). Store plain data (lists, dicts, strings), not querysets or
model instances with lazy relations.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.base import VariableNode
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from afterword.core import memo, staticcopy

from .state import current_state, shared_cache

logger = logging.getLogger(__name__)

T = TypeVar("T")

_MISSING = object()
DEFAULT_TIMEOUT = 24 * 3600


# Values this process has already read, by their whole key: the key holds
# the content version, so a new version never finds an old value here. A
# large one is read from the shared cache once per process, not unpickled
# on every request: the home page's boundaries on a 100,000-post site are
# 270 KB, 4 ms of each request's CPU when read from the cache each time.
# Readers must not change what they are given.
LOCAL_ENTRIES = 64
_local: OrderedDict[str, object] = OrderedDict()
_local_lock = threading.Lock()


def remember(name: str, build: Callable[[], T], timeout: int = DEFAULT_TIMEOUT) -> T:
    """Return ``build()``, computed at most once per content version."""
    cache = shared_cache()
    key = f"afterword:pagecache:fragment:{current_state(cache).version}:{name}"
    with _local_lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout)
    with _local_lock:
        _local[key] = value
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value


def remember_when_enabled(name: str, build: Callable[[], T]) -> T:
    """:func:`remember` while the fragment cache is on, else ``build()``: the
    content memo (``core.memo``: listings' page boundaries, a work's
    suggestions), which the tests read afresh so query counts measure the
    real page."""
    return remember(name, build) if fragment_cache_enabled() else build()


# ---------------------------------------------------------------------------
# ``{% fragment %}``: template regions rendered once per content version.
#
# The post page's article (title, series contents, catalog panels, featured
# image, body, tags) and its neighbours are the same for every reader until
# some content changes, so they are rendered once per content version rather
# than per request, as ``post.body_html`` is rendered once per save. The
# version is the page cache's (``state``): every committed public change,
# and a scheduled post's time passing, start a new one, so there is no second
# invalidation scheme to keep in step.
#
#     {% load fragments %}
#     {% fragment "post-article" post.pk for_one_address %}...{% endfragment %}
#
# ``for_one_address`` says the region shows at one address only: a renderer
# that asks for each address once (the static build) renders it in place
# instead of filling its cache with what nobody will read again.
#
# The key is the name, the values after it, the template being rendered, the
# active language and the version. Nothing personal may go inside
# (``request.user``, cookies, form tokens); the CSP nonce may: it is stored
# as a mark and the current request's nonce is put back on every use. Turn
# the whole thing off with ``AFTERWORD_FRAGMENT_CACHE = False`` (the test
# suite does, so query counts measure the real rendering).

NONCE_MARK = "\x00afterword-fragment-nonce\x00"
VERSION_ATTRIBUTE = "_afterword_content_version"
# Set on requests of a renderer that asks for each address once.
ONCE_ATTRIBUTE = memo.ONCE_ATTRIBUTE
# The last word of a fragment shown at one address only.
ONE_ADDRESS = "for_one_address"
KEY_PREFIX = "afterword:pagecache:fragment"
# Rendered fragments by key, per process: the key carries the version, so an
# entry can never be stale, only unused; reading a local dict is much cheaper
# than unpickling a page's article from the shared cache on every request.
# Each is kept cut at the nonce's places, so that putting the request's
# nonce back is a join rather than a search through the whole fragment.
_LOCAL: dict[str, list[str]] = {}
_LOCAL_SIZE = 512

register = template.Library()


def fragment_cache_enabled() -> bool:
    return getattr(settings, "AFTERWORD_FRAGMENT_CACHE", True)


def content_version(request: HttpRequest | None) -> str:
    """The current content version, read from the shared cache once per request."""
    version = getattr(request, VERSION_ATTRIBUTE, None)
    if version is None:
        version = current_state(shared_cache()).version
        if request is not None:
            setattr(request, VERSION_ATTRIBUTE, version)
    return version


def fragment_key(version: str, name: str, parts: list[object]) -> str:
    digest = hashlib.md5(
        "\x1f".join(map(str, parts)).encode(), usedforsecurity=False
    ).hexdigest()
    return f"{KEY_PREFIX}:{version}:{name}:{digest}"


def _keep_local(key: str, html: str) -> list[str]:
    if len(_LOCAL) >= _LOCAL_SIZE:
        # Old versions' entries are never read again; starting afresh is
        # simpler than tracking which are which, and safe across threads.
        _LOCAL.clear()
    pieces = _LOCAL[key] = html.split(NONCE_MARK)
    return pieces


class FragmentNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(
        self, nodelist: template.NodeList, name, vary_on: list, one_address=False
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        # Shown at one address only (a post's article, a listing page's
        # cards): worth keeping for the next reader, not for a renderer that
        # asks each address once (the static build, ``ONCE_ATTRIBUTE``).
        self.one_address = one_address
        self.shared = not nodelist.get_nodes_by_type(BlockNode) and not any(
            node.filter_expression.token.startswith("block.super")
            for node in nodelist.get_nodes_by_type(VariableNode)
        )

    def render(self, context: template.Context) -> str:
        if not fragment_cache_enabled():
            return self.nodelist.render(context)
        request = context.get("request")
        if self.one_address and getattr(request, ONCE_ATTRIBUTE, False):
            return self.nodelist.render(context)
        nonce = staticcopy.nonce_of(request)
        copy = staticcopy.of(request)
        if not nonce and copy is None:
            # Rendered outside a request with a CSP nonce: storing this would
            # hand nonce-less scripts to the site's readers. (A static copy's
            # pages have no nonce by design, and are kept apart: see below.)
            return self.nodelist.render(context)
        try:
            version = content_version(request)
        except Exception:
            logger.exception("Fragment cache unavailable; rendering in full.")
            return self.nodelist.render(context)
        name = str(self.name.resolve(context))
        # A fragment with no blocks inside renders the same whichever page
        # template includes it, so its own template names it (a post's card
        # is shared by the home page, the archives and the author pages); one
        # with blocks (or ``block.super``) may be filled differently by each
        # page template, which then names it.
        origin = (
            self.origin if self.shared else getattr(context.template, "origin", None)
        )
        # The language: a fragment's headings and dates are written in it.
        # The script prefix its addresses are written under, and whether it
        # is for a static copy (no nonce, no forms): never a live page's.
        parts = [
            getattr(origin, "name", ""),
            get_language(),
            get_script_prefix(),
            "copy" if copy is not None else "",
        ]
        parts.extend(value.resolve(context) for value in self.vary_on)
        key = fragment_key(version, name, parts)
        pieces = _LOCAL.get(key)
        if pieces is None:
            cache = shared_cache()
            stored = cache.get(key)
            if stored is None:
                html = self.nodelist.render(context)
                stored = html.replace(nonce, NONCE_MARK) if nonce else html
                cache.set(key, stored, DEFAULT_TIMEOUT)
            pieces = _keep_local(key, stored)
        # Our own rendering, with this request's nonce put back.
        return mark_safe(nonce.join(pieces))


@register.tag("fragment")
def do_fragment(parser, token) -> FragmentNode:
    """``{% fragment "name" value… [for_one_address] %}…{% endfragment %}``"""
    bits = token.split_contents()
    one_address = bits[-1] == ONE_ADDRESS
    if one_address:
        bits = bits[:-1]
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' needs a name, then optionally the values it varies on."
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
        one_address,
    )
