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


# Where a caller rendering many posts (the static build) hands in every
# post's mentions at once: {post id: ([Webmention], [Ping])}.
MENTIONS_KEY = "_afterword_mentions"


def mentions_of_posts(post_ids=None) -> dict[int, tuple[list, list]]:
    """Approved webmentions and pings of several posts (``None``: all), for
    ``MENTIONS_KEY``: two queries and one per ping provider."""
    mentions = Webmention.objects.approved()
    if post_ids is not None:
        mentions = mentions.filter(post_id__in=post_ids)
    found: dict[int, tuple[list, list]] = {}
    for mention in mentions:
        found.setdefault(mention.post_id, ([], []))[0].append(mention)
    for post_id, items in pings.for_posts(post_ids).items():
        found.setdefault(post_id, ([], []))[1].extend(items)
    return found


@register.simple_tag(takes_context=True)
def mentions_section(context, post) -> str:
    preloaded = context.get(MENTIONS_KEY)
    if preloaded is not None:
        mentions, found_pings = preloaded.get(post.pk, ([], []))
    else:
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
