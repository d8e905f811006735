"""A 404 whose address has a redirect answers with the redirect instead.

``RedirectMiddleware`` is the last entry of ``MIDDLEWARE``, so it sees the
view's answer first: only a 404 is looked at (a live page always wins), with
one query (the redirect and its post together). A redirect to a post that
is not live, or to the address asked for, leaves the 404 as it was. The
query string of the request is carried over when the redirect's own address
has none, so ``?page=2`` of a renamed tag's list still lands on page 2.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.utils.encoding import iri_to_uri

from . import paths
from .models import Redirect

TEXT_FIELDS = ("body", "body_html", "feed_html", "summary", "lead_figure_html")


def find(request: HttpRequest) -> Redirect | None:
    """The redirect for this request's address, in one query."""
    keys = paths.request_keys(request.path, request.META.get("QUERY_STRING", ""))
    if not keys:
        return None
    found = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(old_path__in=keys)
        .select_related("target_post")
        # Only the post's address and live state are needed, not its text.
        .defer(*(f"target_post__{name}" for name in TEXT_FIELDS))
    }
    return next((found[key] for key in keys if key in found), None)


class RedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        redirect = find(request)
        destination = redirect.destination() if redirect else None
        if destination is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        if query and "?" not in destination and "?" not in redirect.old_path:
            destination = f"{destination}?{query}"
        if iri_to_uri(destination) == iri_to_uri(request.get_full_path()):
            return response
        if redirect.status == Redirect.Status.TEMPORARY:
            return HttpResponseRedirect(destination)
        return HttpResponsePermanentRedirect(destination)
