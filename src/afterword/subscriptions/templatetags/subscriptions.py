"""``{% follow_box %}``: the Follow box of the sidebar (``hook:sidebar``).

It offers what the page is about: a series on a series page, a tag or a
category on their pages (context ``series`` or ``term``), otherwise the whole
site; with links to the matching feeds. No query: the page's own objects
are used. The box is part of cached pages, identical for every reader, so it
carries no form token: its script fetches a signed one when someone starts
filling it in.
"""

from __future__ import annotations

from django import template

from afterword.core import staticcopy
from afterword.discussion import defences
from afterword.posts.models import Category, Tag
from afterword.series.models import Series

from .. import targets

register = template.Library()


@register.inclusion_tag("subscriptions/_follow_box.html", takes_context=True)
def follow_box(context) -> dict:
    subject = None
    series = context.get("series")
    term = context.get("term")
    if isinstance(series, Series):
        subject = series
    elif isinstance(term, Tag | Category):
        subject = term
    request = context.get("request")
    return {
        "target": targets.target_for(subject),
        "honeypot": defences.HONEYPOT_FIELD,
        "nonce": staticcopy.nonce_of(request),
        # Whether the box can take an address (not on a static copy without
        # a server): the form's tags ask the request.
        "request": request,
    }
