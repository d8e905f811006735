"""Reads from a PostgreSQL read replica, without anyone reading stale rows.

Active only when ``DATABASE_REPLICA_URL`` is set (settings add the
``replica`` alias, ``ReplicaRouter`` and ``ReplicaMiddleware``). Writes and
migrations always go to the primary (``default``). A read goes to the replica
only when all of these hold; otherwise it goes to the primary:

* it happens while a web request is being answered (the task worker, the
  management commands and the shell read the primary: a task runs right
  after the write that queued it, sooner than a replica may have it);
* that request is a GET, HEAD or OPTIONS, and no write happened earlier in it;
* the client made no write in the last ``AFTERWORD_REPLICA_WINDOW`` seconds:
  a request that wrote answers with a signed ``afterword_primary`` cookie
  that expires after that long (read-your-writes: the page a writer is sent
  to after saving shows the save, even when the replica lags). Bookkeeping
  writes no reader reads back (reading figures, sessions) set no cookie, so
  the stats beacon does not keep readers away from nginx's page files;
* the site's content version (``pagecache``) is older than the window: a
  page cached right after a change must be rendered from the change, or
  every reader would get the stale copy until the next change;
* no transaction is open on the primary (a read inside ``atomic`` belongs
  to the transaction);
* the model is not one the primary alone must answer for (sessions and
  the task queue, whose rows are read right after they are written by
  another request or process).

The window must exceed the replica's usual lag; docs/deploy.md shows how to
watch it (``pg_stat_replication.replay_lag``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
COOKIE = "afterword_primary"
COOKIE_SALT = "afterword.config.dbrouting"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Apps whose rows are read right after another process wrote them.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "django_tasks_database", "taskworker", "outbox", "webhooks"}
)


@dataclass
class Reading:
    """Where the current request's reads may go; one per request."""

    replica_allowed: bool
    wrote: bool = False
    wrote_content: bool = False


# Writes that no page reads back to the writer: they set no cookie.
BOOKKEEPING_APPS = frozenset({"stats", "sessions"})


# Outside a request (tasks, commands) there is no Reading: the primary.
_reading: ContextVar[Reading | None] = ContextVar("afterword_reading", default=None)


@contextmanager
def primary() -> Iterator[None]:
    """Send every read inside the block to the primary."""
    token = _reading.set(None)
    try:
        yield
    finally:
        _reading.reset(token)


def current_target() -> str:
    """The alias a read of an ordinary model would use now."""
    reading = _reading.get()
    if reading is None or not reading.replica_allowed or reading.wrote:
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


class ReplicaRouter:
    """Reads to the replica when it is safe (see the module), all else primary."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        return current_target()

    def db_for_write(self, model, **hints) -> str:
        reading = _reading.get()
        if reading is not None:
            reading.wrote = True
            if model._meta.app_label not in BOOKKEEPING_APPS:
                reading.wrote_content = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY


def content_changed_recently(now: float, window: int) -> bool:
    """Whether the site's content version started less than ``window`` ago."""
    from afterword.pagecache.version import read_state

    try:
        state = read_state()
    except Exception:
        # Without the cache nothing says the replica has caught up.
        return True
    return state is None or now - state.changed_at < window


def wrote_recently(request: HttpRequest, window: int) -> bool:
    return (
        request.get_signed_cookie(
            COOKIE, default=None, salt=COOKIE_SALT, max_age=window
        )
        is not None
    )


class ReplicaMiddleware:
    """Decide per request whether reads may use the replica; mark writers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        window = settings.AFTERWORD_REPLICA_WINDOW
        allowed = (
            request.method in SAFE_METHODS
            and not wrote_recently(request, window)
            and not content_changed_recently(time.time(), window)
        )
        reading = Reading(replica_allowed=allowed)
        token = _reading.set(reading)
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        if reading.wrote_content:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=COOKIE_SALT,
                max_age=window,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
