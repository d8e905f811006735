"""``{% mentions_section post %}``: the "Mentions" section under a post.

One query reads every approved webmention of the post, whatever their
number; pingbacks and trackbacks imported from WordPress come from the
providers registered in ``pings`` (one query each) and are listed with the
plain mentions. Authors are shown by name and initial: the page's CSP lets no
remote image in, and fetching every author's photo is not worth a request
to a stranger's server per mention.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from .. import pings
from ..models import Webmention

register = template.Library()


@register.simple_tag(takes_context=True)
def mentions_section(context, post) -> str:
    mentions = list(Webmention.objects.approved().filter(post=post))
    found_pings = pings.for_post(post)
    if not mentions and not found_pings:
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
            "pings": found_pings,
            "count": len(mentions) + len(found_pings),
        },
        request=context.get("request"),
    )
