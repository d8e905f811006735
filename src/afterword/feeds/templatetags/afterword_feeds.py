"""``{% feed_links %}``: ``<link rel="alternate">`` tags for the page head.

Always the site's RSS and Atom feeds; on a tag or category page (a context
variable ``term`` holding a ``Tag`` or ``Category``), that term's feeds too.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from afterword.posts.models import Category, Tag

register = template.Library()

RSS = "application/rss+xml"
ATOM = "application/atom+xml"


@register.inclusion_tag("feeds/_links.html", takes_context=True)
def feed_links(context) -> dict:
    name = settings.SITE_NAME
    links = [
        (RSS, f"{name} (RSS)", reverse("feeds:rss")),
        (ATOM, f"{name} (Atom)", reverse("feeds:atom")),
    ]
    term = context.get("term")
    prefix = {Tag: "tag", Category: "category"}.get(type(term))
    if prefix:
        kwargs = {"slug": term.slug}
        links += [
            (
                RSS,
                f"{name}: {term.name} (RSS)",
                reverse(f"feeds:{prefix}-rss", kwargs=kwargs),
            ),
            (
                ATOM,
                f"{name}: {term.name} (Atom)",
                reverse(f"feeds:{prefix}-atom", kwargs=kwargs),
            ),
        ]
    return {"feed_links": links}
