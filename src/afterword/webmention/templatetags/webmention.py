"""``{% mentions_section post %}``: the "Mentions" section under a post.

One query reads every approved webmention of the post, whatever their
number; pingbacks and trackbacks imported from WordPress (comments the
importer marked as such) are read by one more and listed with the plain
mentions. Authors are shown by name and initial: the page's CSP lets no
remote image in, and fetching every author's photo is not worth a request
to a stranger's server per mention.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from django import template
from django.template.loader import render_to_string

from ..models import Webmention

register = template.Library()


@dataclass(frozen=True)
class Ping:
    """An imported pingback as the section lists it. WordPress stores the
    linking page's title with HTML entities (``&laquo;``): shown decoded."""

    author_name: str
    author_url: str
    created_at: datetime


def imported_pings(post) -> list[Ping]:
    """Approved comments of ``post`` that an import marked pingback/trackback."""
    from afterword.discussion.models import Comment
    from afterword.portability.models import ImportRecord

    marked = ImportRecord.objects.filter(
        kind=ImportRecord.Kind.COMMENT, data__type__in=["pingback", "trackback"]
    ).values("object_id")
    rows = (
        Comment.objects.approved()
        .filter(post=post, pk__in=marked)
        .values_list("author_name", "author_url", "created_at")
    )
    return [Ping(html.unescape(name), url, when) for name, url, when in rows]


@register.simple_tag(takes_context=True)
def mentions_section(context, post) -> str:
    mentions = list(Webmention.objects.approved().filter(post=post))
    pings = imported_pings(post)
    if not mentions and not pings:
        return ""
    by_kind: dict[str, list[Webmention]] = {kind: [] for kind in Webmention.Kind}
    for mention in mentions:
        by_kind[mention.kind].append(mention)
    return render_to_string(
        "webmention/section.html",
        {
            "replies": by_kind[Webmention.Kind.REPLY],
            "likes": by_kind[Webmention.Kind.LIKE],
            "reposts": by_kind[Webmention.Kind.REPOST],
            "bookmarks": by_kind[Webmention.Kind.BOOKMARK],
            "mentions": by_kind[Webmention.Kind.MENTION],
            "pings": pings,
            "count": len(mentions) + len(pings),
        },
        request=context.get("request"),
    )
