"""Imported pingbacks and trackbacks, for the Mentions section under a post.

They are comments the importer marked with their WordPress type
(``ImportRecord.data["type"]``); registered with ``webmention.pings`` in
``apps.py``. WordPress stores the linking page's title with HTML entities
(``&laquo;``), shown decoded.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from afterword.discussion.models import Comment
from afterword.webmention.pings import Ping

from .models import ImportRecord

PING_TYPES = ("pingback", "trackback")


def for_posts(post_ids: Collection[int] | None) -> dict[int, list[Ping]]:
    """The approved imported pings of these posts (``None``: all): one query."""
    marked = ImportRecord.objects.filter(
        kind=ImportRecord.Kind.COMMENT, data__type__in=PING_TYPES
    ).values("object_id")
    rows = Comment.objects.approved().filter(pk__in=marked)
    if post_ids is not None:
        rows = rows.filter(post_id__in=post_ids)
    found: dict[int, list[Ping]] = {}
    for post_id, name, url, when in rows.values_list(
        "post_id", "author_name", "author_url", "created_at"
    ):
        found.setdefault(post_id, []).append(Ping(html.unescape(name), url, when))
    return found
