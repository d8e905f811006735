"""Imported pingbacks and trackbacks, for the Mentions section under a post.

They are comments the importer marked with their WordPress type
(``ImportRecord.data["type"]``); registered with ``webmention.pings`` in
``apps.py``. WordPress stores the linking page's title with HTML entities
(``&laquo;``), shown decoded.
"""

from __future__ import annotations

import html

from afterword.discussion.models import Comment
from afterword.webmention.pings import Ping

from .models import ImportRecord

PING_TYPES = ("pingback", "trackback")


def for_post(post) -> list[Ping]:
    """The approved imported pings of ``post``: one query."""
    marked = ImportRecord.objects.filter(
        kind=ImportRecord.Kind.COMMENT, data__type__in=PING_TYPES
    ).values("object_id")
    rows = (
        Comment.objects.approved()
        .filter(post=post, pk__in=marked)
        .values_list("author_name", "author_url", "created_at")
    )
    return [Ping(html.unescape(name), url, when) for name, url, when in rows]
