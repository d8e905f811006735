"""Which of our posts a target address names, if readers may see it.

Only live *public* posts accept webmentions: a draft, a scheduled post not
yet due, a private, unlisted or password-protected post answers exactly as
an address that names nothing, so a sender learns nothing about it.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from afterword.posts.models import Post

from .links import normalise

VIEWS = {"posts:post": Post.Kind.POST, "pages:page": Post.Kind.PAGE}


def public_posts():
    """Live and public: the posts that receive and send webmentions."""
    return Post.objects.live().filter(visibility=Post.Visibility.PUBLIC)


def is_public(post: Post) -> bool:
    return post.visibility == Post.Visibility.PUBLIC and post.is_live()


def site_origin() -> str:
    parts = urlsplit(normalise(settings.SITE_URL))
    return f"{parts.scheme}://{parts.netloc}"


def is_ours(url: str) -> bool:
    """Whether ``url`` is on this site's public address (scheme aside)."""
    ours = urlsplit(normalise(settings.SITE_URL)).netloc
    return urlsplit(normalise(url)).netloc == ours


def post_for(target: str) -> Post | None:
    """The live public post at ``target`` (its own address), or None."""
    if not is_ours(target):
        return None
    path = unquote(urlsplit(target).path or "/")
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kind = VIEWS.get(match.view_name)
    if kind is None:
        return None
    slug = match.kwargs.get("slug", "")
    for post in public_posts().filter(kind=kind, slug=slug):
        if post.get_absolute_url() == path:
            return post
    return None
