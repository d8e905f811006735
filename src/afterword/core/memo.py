"""Values computed once per content version, where a memo is registered.

Some answers depend only on the site's content, not on the request: a
listing's page boundaries (``core.keyset``), a work's suggestions. The page
cache knows when content changes (a new version on every committed public
change) and registers a memo here (``pagecache/apps.py``); code in ``core``
and in apps to its left asks for it without importing the page cache.
Without a memo (the tests, or a site with the fragment cache off) every
value is built on each call.

A value kept this way must depend on content only (never on the reader) and
on the active language when it holds words: put the language in its name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix

T = TypeVar("T")
Memo = Callable[[str, Callable[[], Any]], Any]

_memo: Memo | None = None


def use(memo: Memo | None) -> None:
    """Keep values with ``memo(name, build)``; ``None`` builds them every time."""
    global _memo
    _memo = memo


def remember(name: str, build: Callable[[], T]) -> T:
    """``build()``, or what it returned before in this content version.

    Values may hold addresses, which ``reverse()`` writes under the script
    prefix: a static copy published under a base path, or with links
    relative to each page, keeps its own (``core.staticcopy``).
    """
    if _memo is None:
        return build()
    prefix = get_script_prefix()
    return _memo(name if prefix == "/" else f"{name}@{prefix}", build)


def remember_row(name: str, queryset, **lookup):
    """The one row ``lookup`` finds in ``queryset`` (a model or a queryset),
    kept for the content version: the subject of a page whose other parts
    are kept, so that the page reads nothing. ``Http404`` when there is
    none, and nothing is kept for it (a made-up address fills no memo).

    The model, and whatever the queryset brings along with it, must be
    public content (``core.changes.public``): a change to it starts a new
    version, and with it a new lookup.
    """
    return remember(name, partial(get_object_or_404, queryset, **lookup))


# Set on the requests of a renderer that asks for each address once (the
# static build): what shows at one address only is not worth keeping there.
ONCE_ATTRIBUTE = "afterword_renders_each_address_once"


def remember_for_address(request, name: str, build: Callable[[], T]) -> T:
    """:func:`remember` for a value only one address shows: built in place
    when the request comes from a renderer that asks each address once."""
    if getattr(request, ONCE_ATTRIBUTE, False):
        return build()
    return remember(name, build)
