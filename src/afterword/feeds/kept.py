"""Feeds whose entries are written once per content version.

A feed carries its newest posts (or comments) whole. Reading twenty posts
with their texts and tags, making every link in them absolute and escaping
130 KB of XML is nearly all of a feed's time: 12 ms of CPU for ``/feed/`` on
a 100,000-post site, where the page around a listing costs 2 ms. The entries
change only when content does, so :class:`KeepsEntries` keeps them under the
feed's address for the content version (``core.memo``), as listings keep
their cards; each request still writes the feed's head (its title, links
and the newest entry's date) around them. With the memo off (the tests) the
entries are written on every request, through the same code.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.utils.translation import get_language

from afterword.core import memo

from .quickxml import QuickXMLGenerator


@dataclass(frozen=True)
class Entries:
    """A feed's entries as written, and the date the newest was updated."""

    xml: str
    latest: datetime | None


class EntriesWriter:
    """A feed generator that writes kept entries instead of its items."""

    kept: Entries | None = None

    def written_entries(self) -> Entries:
        """This feed's entries, as ``write`` would put them in the document."""
        latest = self.latest_post_date() if self.items else None
        return Entries(self._entries_xml(), latest)

    def _entries_xml(self) -> str:
        buffer = io.StringIO()
        super().write_items(
            QuickXMLGenerator(buffer, "utf-8", short_empty_elements=True)
        )
        return buffer.getvalue()

    def latest_post_date(self):
        if self.kept is not None and self.kept.latest is not None:
            return self.kept.latest
        return super().latest_post_date()

    def write_items(self, handler) -> None:
        # XML already, kept or written by the quicker generator: written as
        # it is.
        xml = self.kept.xml if self.kept is not None else self._entries_xml()
        handler.ignorableWhitespace(xml)


class KeepsEntries:
    """A ``Feed`` (listed before it) whose ``feed_type`` is an
    :class:`EntriesWriter`, and whose entries are kept per content version."""

    def get_feed(self, obj, request):
        if getattr(request, memo.ONCE_ATTRIBUTE, False):
            # Asked once (the static build): nothing to keep, so the feed is
            # written in one pass rather than its entries and then its head.
            return super().get_feed(obj, request)
        # The scheme too: Django makes a relative item link absolute with
        # the request's (a comment's link, ``add_domain``).
        name = f"feed-entries:{request.scheme}:{request.path}:{get_language()}"
        kept = memo.remember_for_address(
            request, name, partial(self._written_entries, obj, request)
        )
        # The head alone: a copy, since a feed object serves every request.
        head = copy.copy(self)
        head.items = ()
        feed = super(KeepsEntries, head).get_feed(obj, request)
        feed.kept = kept
        return feed

    def _written_entries(self, obj, request) -> Entries:
        return super().get_feed(obj, request).written_entries()
