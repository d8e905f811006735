"""Counting attempts over a sliding window, shared by every worker.

Two fixed windows, the current one and the one before it, kept in the
cache; the count is the current window's plus the previous one's weighted
by how much of it still lies within the last ``window`` seconds. Unlike a
bare fixed window this neither lets a client spend two allowances across a
window's edge nor, for the same reason, lets a burst slip under the limit
because the clock ticked over in the middle of it.

One ``get`` and one ``incr`` per attempt (atomic on Redis and memcached),
plus an ``add`` for the first attempt of a window.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Attempt:
    count: float  # the sliding estimate, this attempt included
    previous: int
    current: int
    window: int
    into: float  # seconds since the current window started

    def over(self, limit: int) -> bool:
        return self.count > limit

    def seconds_until_allowed(self, limit: int) -> int:
        """When one more attempt would be within ``limit`` (≥ 1) again, in
        seconds (≥ 1).

        Within this window if the previous window's share decays far enough;
        otherwise in the next one, once this window's own share does.
        """
        room = limit - self.current - 1
        if room >= 0 and self.previous:
            wait = self.window * (1 - room / self.previous) - self.into
            if wait < self.window - self.into:
                return max(1, math.ceil(wait))
        until_next = self.window - self.into
        decay = self.window * max(0.0, 1 - (limit - 1) / self.current)
        return max(1, math.ceil(until_next + decay))


def count_attempt(key: str, window: int, *, now: float | None = None) -> Attempt:
    """Count one attempt under ``key`` and return the sliding estimate."""
    now = time.time() if now is None else now
    index, into = divmod(now, window)
    index = int(index)
    previous = int(cache.get(f"{key}:{index - 1}") or 0)
    current_key = f"{key}:{index}"
    # Kept for two windows: it is the "previous" window of the next one.
    try:
        current = cache.incr(current_key)
    except ValueError:
        # First attempt in this window, unless another worker just added it.
        added = cache.add(current_key, 1, timeout=2 * window + 5)
        current = 1 if added else cache.incr(current_key)
    count = previous * (1 - into / window) + current
    return Attempt(count, previous, current, window, into)
