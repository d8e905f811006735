"""What the site itself answers at an address, asked without a request.

A redirect only speaks where the site would say 404, so one made from an
address that shows a page would never be seen: ``SaveRedirect`` refuses it
(``site_answers``). And a redirect to a post's address is stored as a
redirect to the post itself, so it follows the post wherever it moves
(``post_at``).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils.encoding import iri_to_uri

from afterword.posts.models import Post

logger = logging.getLogger(__name__)


def post_at(path: str) -> Post | None:
    """The post or page whose address is ``path`` (decoded), live or not."""
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    kinds = {"posts:post": Post.Kind.POST, "pages:page": Post.Kind.PAGE}
    kind = kinds.get(match.view_name)
    if kind is None:
        return None
    post = Post.objects.filter(kind=kind, slug=match.kwargs["slug"]).first()
    if post is None or post.get_absolute_url() != iri_to_uri(path.split("?", 1)[0]):
        return None
    return post


def _anonymous_get(path: str) -> HttpRequest:
    """A reader's plain GET of ``path``, as the views expect one."""
    site = urlsplit(settings.SITE_URL)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict()
    request.META = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
        "wsgi.url_scheme": site.scheme or "http",
    }
    request.user = AnonymousUser()
    request.csp_nonce = ""
    return request


def site_answers(path: str) -> bool:
    """Whether a reader fetching ``path`` would get a page, not a 404.

    The view the address resolves to is asked, as a signed-out reader's
    ``GET``, without rendering its template: a post, page, tag, series or
    any other address the site shows is taken; a moved post's old address,
    a deleted series' or an address no pattern matches is free. A view that
    cannot answer such a bare request is counted as taken (refusing a
    redirect is safer than hiding a page behind one).
    """
    bare = path.split("?", 1)[0]
    try:
        match = resolve(bare)
    except Resolver404:
        return False
    request = _anonymous_get(bare)
    request.resolver_match = match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        return False
    except Exception:
        logger.info("Could not ask the view at %s whether it answers", bare)
        return True
    # Nothing is sent: release what the answer holds (an open media file).
    # Not ``response.close()``: that announces the end of a request, and the
    # database connection would be closed in the middle of the caller's
    # transaction (on PostgreSQL).
    held = getattr(response, "file_to_stream", None)
    if held is not None:
        held.close()
    return response.status_code not in (404, 410)
