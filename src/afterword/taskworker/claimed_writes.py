"""Recording what happened to a claimed row: a write that must land.

The outbox and webhooks claim a row (``pending`` → ``sending``, naming the
worker) before they send it, and record the outcome afterwards. That
record is retried here, because a locked SQLite file clears quickly. If it
still fails, the row stays ``sending`` under this worker's name and is
released when the worker stops or dies (``leases``); it is never put back
to pending from here, since the receiver may already have what was sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError

T = TypeVar("T")


def write_until_it_lands(write: Callable[..., T], *args, tries: int = 5) -> T:
    for attempt in range(1, tries + 1):
        try:
            return write(*args)
        except DatabaseError:
            if attempt == tries:
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable: the last try returns or raises")
