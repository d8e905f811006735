"""``reverse()`` remembered, for the addresses every page prints many times.

A listing names each post, its author and its categories; a post page its
tags, its neighbours and its own address again in the head and the comment
links. Django's ``reverse()`` matches the URL patterns anew on each call, and
a whole-site static build spent about an eighth of its time there, so model
addresses go through this instead. The key holds everything the answer
depends on besides the arguments (the URL map and the script prefix), so a
test or a deployment that changes either still gets the right address.

It also registers ``<uslug:...>``, the URL converter for slugs that may be
written in any script (posts, pages, tags and categories allow Unicode
slugs): Django's own ``<slug:...>`` takes ASCII letters only, so an address
like ``/2024/05/カウボーイビバップ/`` would be a 404.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, register_converter, reverse
from django.urls.converters import StringConverter
from django.utils.http import RFC3986_SUBDELIMS

# Distinct addresses kept: a large site's posts, terms and authors.
SIZE = 20_000


def cached_reverse(viewname: str, **kwargs) -> str:
    """``reverse(viewname, kwargs=kwargs)``, computed once per distinct call."""
    return remembered_reverse(viewname, (), tuple(kwargs.items()))


# Stands for the slug in an address reversed once (``reverse_with_slug``).
SLUG_SLOT = "afterword-slug-slot"


def reverse_with_slug(viewname: str, slug: str, **kwargs) -> str:
    """``cached_reverse(viewname, slug=slug, **kwargs)`` for any number of slugs.

    Every post has a slug of its own, so remembering whole addresses stops
    helping past ``SIZE`` posts: the sitemap's parts name every post, each one a
    fresh ``reverse()``. The address is reversed once per other arguments
    (a post's year and month) with a stand-in, and the slug put in its
    place, quoted as ``reverse()`` quotes it (a test compares the two).
    """
    address = cached_reverse(viewname, slug=SLUG_SLOT, **kwargs)
    return address.replace(SLUG_SLOT, quote(slug, safe=RFC3986_SUBDELIMS + "/~:@"))


def site_path(path: str) -> str:
    """An address ``reverse()`` gave, as a path from the site's root.

    The live site's script prefix is ``/`` and this changes nothing. The
    static build renders a copy under a base path (prefix ``/blog/``) or with
    links relative to each page (prefix ``../../``); absolute URLs (the
    canonical link, feeds, JSON-LD) are the public address plus this path.
    """
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        return "/" + path[len(prefix) :]
    return path


def absolute(path: str) -> str:
    """``path`` (from ``reverse()``, or a path from the root) on the site's
    public address, ``SITE_URL``."""
    path = site_path(path)
    if not path.startswith("/"):
        path = "/" + path
    return settings.SITE_URL.rstrip("/") + path


def remembered_reverse(
    viewname: str, args: tuple, items: tuple, current_app: str | None = None
) -> str:
    """``reverse()`` with everything a template's ``{% url %}`` passes it
    (``templatetags.remembered_url``), computed once per distinct call.
    The arguments must be hashable; a miss raises what ``reverse()`` raises
    and remembers nothing."""
    return _reverse(
        viewname,
        args,
        items,
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


@lru_cache(maxsize=SIZE)
def _reverse(
    viewname: str,
    args: tuple,
    items: tuple,
    current_app: str | None,
    urlconf: str,
    prefix: str,
) -> str:
    return reverse(
        viewname,
        urlconf=urlconf,
        args=args,
        kwargs=dict(items),
        current_app=current_app,
    )


class UnicodeSlugConverter(StringConverter):
    """Letters and digits of any script, hyphens and underscores: what
    ``SlugField(allow_unicode=True)`` accepts. Reversing percent-encodes it."""

    regex = r"[-\w]+"


register_converter(UnicodeSlugConverter, "uslug")
