"""The content version every cached page is keyed on, kept in the shared cache.

One record, ``(version, changed_at, next_change)``, stored under
``STATE_KEY`` in ``caches["default"]``:

* ``version`` is a random token; every page key contains it, so writing a new
  one orphans every cached page in every process at once (the old entries
  expire on their own).
* ``changed_at`` is when that version started, in seconds since the epoch: the
  ``Last-Modified`` of every page rendered under it.
* ``next_change`` is the publish time of the earliest scheduled post still in
  the future, or ``None``. A reader arriving after it starts a new version, so
  the post shows up at its time whether or not the task worker ran.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.cache import BaseCache

from . import files
from .version import STATE_KEY, ContentState, read_state, shared_cache

# The digest of the code that rendered the cached pages (``start_for_code``).
CODE_KEY = "afterword:pagecache:code"

# The state the request being served has read, in a holder the middleware
# sets up (``one_read_per_request``): a page asks for the version once per
# kept part (fragments, the content memo), and each ask was a read of the
# shared cache (a file or a Redis round trip).
_request_holder: ContextVar[dict | None] = ContextVar(
    "afterword_request_state", default=None
)


@contextmanager
def one_read_per_request() -> Iterator[None]:
    """Within this block, :func:`current_state` reads the shared cache once
    and a new version started here replaces what it read: a request sees
    one version, its own changes included."""
    token = _request_holder.set({})
    try:
        yield
    finally:
        _request_holder.reset(token)


def _holder(cache: BaseCache) -> dict | None:
    holder = _request_holder.get()
    return holder if holder is not None and cache is shared_cache() else None


def next_scheduled_change(now: float) -> float | None:
    """Return when the earliest scheduled post still in the future goes live."""
    from afterword.posts.models import Post

    when = (
        Post.objects.filter(
            status=Post.Status.SCHEDULED,
            published_at__gt=datetime.fromtimestamp(now, tz=UTC),
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return when.timestamp() if when else None


def new_version(
    cache: BaseCache | None = None, now: float | None = None
) -> ContentState:
    """Start a new content version: every cached page becomes stale at once.

    The page files for nginx are removed *after* the new version is written:
    a process that rendered under the old version checks the version again
    after writing its file (see ``files.write_page``), so no stale file
    survives whichever of the two finishes first.
    """
    cache = cache or shared_cache()
    now = time.time() if now is None else now
    state = ContentState(secrets.token_hex(8), now, next_scheduled_change(now))
    cache.set(STATE_KEY, (state.version, state.changed_at, state.next_change), None)
    if (holder := _holder(cache)) is not None:
        holder["state"] = state
    files.clear_pages()
    return state


def start_for_code(cache: BaseCache | None = None) -> bool:
    """Start a new version if the code or templates changed since the last
    server start (an upgrade, an edited template); whether it did.

    Pages are keyed on content only, so without this a deploy would keep
    serving pages rendered by the old templates until the next edit.
    """
    from afterword.core.codeversion import code_digest

    cache = cache or shared_cache()
    digest = code_digest()
    if cache.get(CODE_KEY) == digest:
        return False
    new_version(cache)
    cache.set(CODE_KEY, digest, None)
    return True


def current_state(
    cache: BaseCache | None = None, now: float | None = None
) -> ContentState:
    """The version to serve now: one cache read (one per request, inside
    :func:`one_read_per_request`), plus a new version when due.

    A new version is started when there is none yet (empty or flushed cache)
    or when the next scheduled post's time has passed.
    """
    cache = cache or shared_cache()
    now = time.time() if now is None else now
    holder = _holder(cache)
    state = holder.get("state") if holder is not None else None
    if state is None:
        state = read_state(cache)
        if holder is not None and state is not None:
            holder["state"] = state
    if state is None or (state.next_change is not None and now >= state.next_change):
        return new_version(cache, now)
    return state


def on_public_changes(changes) -> None:
    """Any public row changed (``core.changes``): start a new version.

    Which rows changed does not matter here: pages show many models at once
    (a post page shows its tags, its author, its comments, the header's
    categories), and one version for the whole site is what makes
    invalidation a single write that every process sees.
    """
    new_version()
