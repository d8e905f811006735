"""Old WordPress "plain" links answer with a permanent redirect to the new ones.

``LegacyRedirectMiddleware`` looks at ``/?p=ID`` or ``/?page_id=ID`` on the
home address, before the home page view runs, with at most one query: the
live post imported from WordPress post ``ID``. A draft's id is not
redirected, and the home page answers as usual.

Old permalinks (``/2019/04/02/title/``) are redirects like any other: the
importer records one per imported post (``redirects.actions.ImportRedirects``)
and ``redirects.middleware`` answers them.
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
        return self.get_response(request)
