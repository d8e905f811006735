"""Template tags the theme uses to show catalog data on post pages.

``{% catalog_post_top post %}`` (at ``hook:post-top``): the spoiler warning
and the works the post is about, with the rating.
``{% catalog_post_bottom post %}`` (at ``hook:post-bottom``): the review's
JSON-LD and the hover-card script. Both share one query per page.
``{% catalog_list_meta post %}`` (at ``hook:list-item-meta``): the work a
listed post reviews, with its rating; one query for the whole listing.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from afterword.core import staticcopy

from .. import jsonld, queries
from ..rules import rating_scale

register = template.Library()


@register.simple_tag
def rating(value, scale=None) -> SafeString | str:
    """A rating as stars (scale 5) or “n/10”, with a text alternative."""
    if value is None:
        return ""
    scale = rating_scale() if scale is None else int(scale)
    if not scale:
        return ""
    value = Decimal(value).quantize(Decimal("0.1"))
    text = jsonld.format_rating(value.quantize(Decimal("0.5")) if scale == 5 else value)
    if scale == 5:
        halves = int((value * 2).to_integral_value())
        shown = "★" * (halves // 2) + ("½" if halves % 2 else "")
        shown += "☆" * (5 - halves // 2 - halves % 2)
    else:
        shown = f"{shown_number(text)}/{scale}"
    # The text alternative reads the number the way the site's language
    # writes it ("3,5 sur 5"); JSON-LD keeps "3.5" (jsonld.format_rating).
    return format_html(
        '<span class="rating"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        shown,
        _("%(value)s out of %(scale)s")
        % {"value": shown_number(jsonld.format_rating(value)), "scale": scale},
    )


def shown_number(text: str) -> str:
    """A rating's digits ("3.5") as the active language writes them."""
    return number_format(Decimal(text)) if "." in text else text


@register.inclusion_tag("catalog/_post_top.html")
def catalog_post_top(post) -> dict:
    links = queries.post_links(post)
    return {
        "links": links,
        "spoiler_works": [link.work for link in links if link.contains_spoilers],
        "rating_scale": rating_scale(),
    }


@register.simple_tag(takes_context=True)
def catalog_post_bottom(context, post) -> SafeString:
    links = queries.post_links(post)
    request = context.get("request")
    nonce = staticcopy.nonce_of(request)
    parts = [
        format_html(
            '<link rel="stylesheet" href="{}"><script src="{}"{} defer></script>',
            static("catalog/catalog.css"),
            static("catalog/refcard.js"),
            staticcopy.nonce_attribute(nonce),
        )
    ]
    if links:
        main = next((link for link in links if link.is_primary), links[0])
        parts.append(
            jsonld.to_script(jsonld.review_data(post, main, rating_scale()), nonce)
        )
    return SafeString("".join(parts))


LIST_LINKS_KEY = "_catalog_list_links"


@register.simple_tag(takes_context=True)
def catalog_list_meta(context, post) -> SafeString | str:
    """“ · on Perfect Blue ★★★★★” for a post in a listing, if it reviews a work."""
    links = context.get(LIST_LINKS_KEY)
    if links is None or post.pk not in links:
        posts = context.get("posts") or context.get("object_list") or [post]
        ids = {getattr(item, "pk", None) for item in posts} | {post.pk}
        links = {**(links or {}), **queries.listing_links(ids)}
        # At the root of the context, so every turn of the listing's loop sees it.
        context.dicts[0][LIST_LINKS_KEY] = links
    link = links.get(post.pk)
    if link is None:
        return ""
    return format_html(
        ' · {} <a href="{}">{}</a>{}',
        pgettext("a post on a work", "on"),
        link.work.get_absolute_url(),
        link.work.title,
        format_html(" {}", rating(link.rating)) if link.rating is not None else "",
    )


@register.simple_tag
def person_credit_items(lines) -> SafeString:
    """The ``<li>`` items of one role on a person page (``queries.CreditLine``).

    Written in Python rather than as a template loop: a prolific person has
    hundreds of credits, and this keeps their page fast. Work addresses are
    built from one reversed pattern instead of one ``reverse()`` each.
    """
    prefix = reverse("catalog:work", kwargs={"slug": "0"})[:-2]
    items = []
    for line in lines:
        year = f'<span class="year">{line.year}</span> ' if line.year else ""
        part_of = (
            ' <span class="post-meta">'
            + escape(_("in %(parent)s") % {"parent": line.parent_title})
            + "</span>"
            if line.parent_title
            else ""
        )
        character = (
            ' <span class="character">'
            + escape(_("as %(name)s") % {"name": line.character_name})
            + "</span>"
            if line.character_name
            else ""
        )
        items.append(
            f'<li>{year}<a href="{escape(prefix + line.work_slug)}/">'
            f"{escape(line.work_title)}</a>{part_of}{character}</li>"
        )
    # Every value above went through html.escape.
    return mark_safe("\n".join(items))
