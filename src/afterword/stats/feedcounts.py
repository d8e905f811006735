"""Feed fetches, added up in each process and written a few at a time.

Feed readers poll: on a popular site they make most requests, and the page
cache answers nearly all of them in well under a millisecond. Writing a row
per fetch put a database write behind every one of those answers, and on
SQLite every write waits for the one write lock: the 2-core test machine
served 130 cached feeds a second that way, against thousands of cached
pages (bench/large_site.py). Each process now adds its fetches up in memory
and writes them, one ``UPDATE`` per day and kind of feed, at most every
``AFTERWORD_STATS_FLUSH_SECONDS`` (when a fetch finds the last write that
old) and when it exits. A process killed outright loses at most that long a
stretch of its fetches: these are figures, not accounts. ``0`` writes every
fetch as it comes (the test settings).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from datetime import date

from django.conf import settings

from .actions import CountFeedFetch
from .counting import today

logger = logging.getLogger(__name__)


class PendingFetches:
    """This process's fetches not yet written, by (day, feed)."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[date, str]] = Counter()
        self._lock = threading.Lock()
        self._written_at = time.monotonic()

    def add(self, feed: str) -> None:
        interval = settings.AFTERWORD_STATS_FLUSH_SECONDS
        with self._lock:
            self._counts[(today(), feed)] += 1
            if interval and time.monotonic() - self._written_at < interval:
                return
        self.flush()

    def flush(self) -> None:
        """Write what is pending; what fails to be written is kept for the
        next try."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
            self._written_at = time.monotonic()
        for (day, feed), fetches in counts.items():
            try:
                CountFeedFetch(feed, fetches=fetches, day=day).run()
            except Exception:
                logger.exception("Could not count %s fetches of %s.", fetches, feed)
                with self._lock:
                    self._counts[(day, feed)] += fetches


pending = PendingFetches()
atexit.register(pending.flush)
