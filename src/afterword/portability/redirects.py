"""Old WordPress addresses answer with a permanent redirect to the new ones.

``LegacyRedirectMiddleware`` (last in ``MIDDLEWARE``) looks at two kinds of
request, each with at most one query:

- ``/?p=ID`` or ``/?page_id=ID`` (WordPress's "plain" links) on the home
  address, before the home page view runs;
- any request that would end in a 404: its path is looked up in
  ``Post.legacy_url`` (the permalink the import recorded).

Only live posts are redirected to, so a draft's old address stays a 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from afterword.core.numbers import ascii_number
from afterword.posts.models import Post

from .models import ImportRecord

ID_PARAMETERS = ("p", "page_id")


def by_wordpress_id(value: str) -> Post | None:
    """The live post that had WordPress id ``value``, in one query."""
    if ascii_number(value) is None:
        return None
    ids = ImportRecord.objects.filter(
        kind=ImportRecord.Kind.POST, source_id=value
    ).values("object_id")
    return Post.objects.reachable().filter(pk__in=ids).order_by("pk").first()


def by_legacy_path(path: str) -> Post | None:
    """The live post whose old permalink was ``path`` (with or without "/")."""
    candidates = {path, path.rstrip("/"), path.rstrip("/") + "/"}
    candidates.discard("")
    return (
        Post.objects.reachable()
        .filter(legacy_url__in=candidates)
        .order_by("pk")
        .first()
    )


class LegacyRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path == "/":
            for name in ID_PARAMETERS:
                if name in request.GET:
                    post = by_wordpress_id(request.GET[name])
                    if post is not None:
                        return HttpResponsePermanentRedirect(post.get_absolute_url())
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            full = request.get_full_path()
            post = by_legacy_path(request.path) or (
                by_legacy_path(full) if full != request.path else None
            )
            if post is not None and post.get_absolute_url() != request.path:
                return HttpResponsePermanentRedirect(post.get_absolute_url())
        return response
