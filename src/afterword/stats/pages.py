"""Which pages are counted, and how a page names itself to the beacon.

A page says what it is in a signed token the theme prints on the beacon's
script tag (``{% stats_page %}``): ``post:<id>`` on a live post or page,
``path:<path>`` on a listing. The token is the same for every reader, so it
lives happily in the page cache and in nginx's page files, and only the
site can make one: a beacon cannot invent a path to fill the tables with,
and a post's views are counted only while it is live (checked again when
the view is counted). Only the listing views below are counted, and not
their 404s; pages of a static build are not counted (nothing would receive
their beacons), so they carry no token.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "afterword.stats.page"
# URL names of listing pages whose views are counted, by their path.
LISTINGS = frozenset(
    {
        "posts:home",
        "posts:home-page",
        "posts:tag",
        "posts:category",
        "posts:author",
        "posts:month",
        "series:index",
        "series:detail",
        "catalog:works",
        "catalog:work-list",
        "catalog:work",
        "catalog:people",
        "catalog:person",
        "catalog:organisations",
        "catalog:organisation",
    }
)
MAX_PATH = 200


@dataclass(frozen=True)
class Page:
    post_id: int | None = None
    path: str = ""


def token_for(page: Page) -> str:
    value = f"post:{page.post_id}" if page.post_id else f"path:{page.path}"
    return signing.Signer(salt=SALT).sign(value)


def page_from_token(token: str) -> Page | None:
    """The page a token names, or None if the site did not sign it."""
    if not token or len(token) > MAX_PATH + 100:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    kind, _, rest = value.partition(":")
    if kind == "post" and rest.isascii() and rest.isdigit():
        return Page(post_id=int(rest))
    if kind == "path" and rest.startswith("/"):
        return Page(path=rest)
    return None


def page_of(request, post=None, *, not_found: bool = False) -> Page | None:
    """The counted page a render shows, or None when it is not counted."""
    match = getattr(request, "resolver_match", None)
    # A page rendered outside a request Django resolved (the static site
    # builder) has no server to count it.
    if not_found or match is None:
        return None
    if post is not None and getattr(post, "pk", None):
        return Page(post_id=post.pk) if post.is_live() else None
    if match.view_name not in LISTINGS:
        return None
    if len(request.path) > MAX_PATH:
        return None
    return Page(path=request.path)
