"""Template tags that show series on post pages.

``{% series_display_title post %}``: the post's title through its series'
title pattern (the post page's ``<h1>``).

``{% series_post_top post %}`` (at ``hook:post-top`` of
``posts/post_detail.html``): "Part N of M", the table of contents, previous
and next published parts, and the ``isPartOf`` JSON-LD. One query per page,
whatever the series' length; nothing at all for a post outside any series.
"""

from __future__ import annotations

from django import template

from afterword.core import staticcopy
from afterword.core.jsonld import script_json

from .. import jsonld, toc

register = template.Library()


@register.simple_tag
def series_display_title(post) -> str:
    """The post's title as its series shows it ("Memories Part 1: …"), or
    its own title outside a series or when the series has no pattern."""
    contents = toc.for_post_page(post)
    entry = contents.entry_for(post.pk) if contents else None
    return entry.title if entry else post.title


@register.inclusion_tag("series/_post_top.html", takes_context=True)
def series_post_top(context, post) -> dict:
    contents = toc.for_post_page(post)
    if contents is None:
        return {"toc": None}
    entry = contents.entry_for(post.pk)
    previous, following = contents.neighbours(post.pk)
    request = context.get("request")
    return {
        "toc": contents,
        "entry": entry,
        "current_post_id": post.pk,
        "previous": previous,
        "next": following,
        "json_ld": script_json(jsonld.part_data(contents, entry))
        if entry and entry.published
        else "",
        "nonce": staticcopy.nonce_of(request),
    }
