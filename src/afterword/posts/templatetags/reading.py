"""Template helpers of the reading pages: site navigation, images, metadata.

Loaded with ``{% load reading %}``. They do in Python what would be slow or
noisy in a template loop (building ``srcset``), and give ``base.html`` a
metadata object for pages whose views did not make one.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.db.models import Exists, OuterRef, Value
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from afterword.core import memo
from afterword.core.urls import cached_reverse
from afterword.media.models import Image
from afterword.posts import seo
from afterword.posts.models import Category, Post

register = template.Library()

NAV_LIMIT = 12


@register.simple_tag
def site_nav() -> list[dict[str, str]]:
    """Top-level categories with a listed post, then listed pages.

    Kept once per content version (``core.memo``): a listing's header marks
    its own link (``aria-current``), so it is not one shared fragment, but
    the links are the same on every page.
    """
    return memo.remember("site-nav", _site_nav)


@register.simple_tag(takes_context=True)
def header_current(context: template.Context) -> str:
    """The header's link to the page being shown (the home page, or one of
    :func:`site_nav`'s), or "": the one thing in the header that differs
    from page to page, so its fragment is kept once per answer."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if path == cached_reverse("posts:home"):
        return path
    return path if any(item["url"] == path for item in site_nav()) else ""


def _site_nav() -> list[dict[str, str]]:
    """One query: a UNION of the two lists, ordered and cut as one."""
    live_posts = Post.objects.posts().listed()
    categories = (
        Category.objects.filter(parent__isnull=True)
        .filter(Exists(live_posts.filter(categories=OuterRef("pk"))))
        .annotate(position=Value(0))
        .values_list("position", "name", "slug")
        .order_by()
    )
    pages = (
        Post.objects.pages()
        .listed()
        .annotate(position=Value(1))
        .values_list("position", "title", "slug")
        .order_by()
    )
    rows = categories.union(pages, all=True).order_by("position", "name")[:NAV_LIMIT]
    return [
        {
            "title": title,
            "url": cached_reverse(
                "pages:page" if position else "posts:category", slug=slug
            ),
        }
        for position, title, slug in rows
    ]


@register.simple_tag(takes_context=True)
def page_meta(context: template.Context) -> seo.PageMeta:
    """The page's ``meta`` from its view, or a plain one built from the request.

    Templates of other apps that set no ``meta`` still get a canonical URL and
    the site's description; their ``title`` block names the page.
    """
    meta = context.get("meta")
    if isinstance(meta, seo.PageMeta):
        return meta
    return seo.page_meta(
        context.get("request"),
        title=context.get("page_title") or settings.SITE_NAME,
    )


def srcset(image: Image) -> str:
    """``srcset`` from the image's WebP renditions (prefetched) and its original.

    The original is listed only when no rendition has its full width.
    """
    renditions = [r for r in image.renditions.all() if r.width <= image.width]
    if not renditions:
        return ""
    entries = [f"{r.file.url} {r.width}w" for r in renditions]
    if all(r.width < image.width for r in renditions):
        entries.append(f"{image.file.url} {image.width}w")
    return ", ".join(entries)


@register.simple_tag
def responsive_image(
    image: Image, sizes: str = "100vw", eager: bool = False, css_class: str = ""
) -> Any:
    """An ``<img>`` with width, height (no layout shift), ``srcset`` and alt.

    ``eager`` is for the one image at the top of a page; all others load lazily.
    """
    if image is None or not image.file:
        return ""
    candidates = srcset(image)
    return format_html(
        '<img src="{}"{} width="{}" height="{}" alt="{}"{}{} decoding="async">',
        image.file.url,
        format_html(' srcset="{}" sizes="{}"', candidates, sizes) if candidates else "",
        image.width,
        image.height,
        image.alt_text,
        format_html(' class="{}"', css_class) if css_class else "",
        mark_safe(' fetchpriority="high"' if eager else ' loading="lazy"'),
    )
