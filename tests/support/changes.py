"""Listening to ``core.changes`` announcements in a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from afterword.core.changes import ChangeSet, public_changes


@contextmanager
def heard_changes() -> Iterator[list[ChangeSet]]:
    """Collect every ``public_changes`` announcement sent inside the block."""
    heard: list[ChangeSet] = []

    def listener(sender, changes, **kwargs):
        heard.append(changes)

    public_changes.connect(listener, dispatch_uid="tests-heard-changes")
    try:
        yield heard
    finally:
        public_changes.disconnect(dispatch_uid="tests-heard-changes")
