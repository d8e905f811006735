"""Serve anonymous readers from the shared cache (see ``afterword.pagecache``).

Only canonical addresses are stored
-----------------------------------
Every stored page is an entry in the shared cache (and maybe a file), so the
set of addresses that can be stored must be as small as the site: were a
second spelling of a page stored too, a loop of invented addresses
(``?page=02``, ``?page=+2``, ``/page/0002/``, ``Host: example.org:1``) would
fill the cache and push out the pages, fragments and comment threads that
readers need. A response is stored only when its address is the one the
site itself would write:

* the host is in lower case, without a trailing dot, with no port or the
  port the server listens on (``canonical_host``);
* the path is the one Django's URL map generates for the view and arguments
  it resolved to (``/page/02/`` resolves, but the map writes ``/page/2/``);
* the query string is empty or exactly ``page=N`` (``N`` from 2 to 999999,
  no sign, no leading zero, once), and the view rendered page ``N`` of a
  Django paginator: a post or a feed ignores ``page``, and
  ``Paginator.get_page`` answers a page past the end with the last one;
* the response is not ``immutable``: such an address names its content (an
  identicon's digest), browsers keep it for a year, and there are as many
  as there are digests.

Anything else is answered as usual, rendered each time, and not stored.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from afterword.posts.visibility import UNLOCK_COOKIE

from . import files
from .state import ContentState, current_state, one_read_per_request, shared_cache

logger = logging.getLogger(__name__)

DEFAULT_BYPASS_COOKIES = ("messages",)
# The API answers each credential with its own JSON (requests carrying
# Authorization are never cached anyway); its schema and reference pages
# follow the code, not the content version. The fediverse's addresses answer
# people and servers differently at one address (content negotiation).
DEFAULT_EXCLUDE_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/api/",
    "/ap/",
    "/.well-known/",
    "/nodeinfo/",
)
DEFAULT_TIMEOUT = 24 * 3600
# The one query string a cached page may have. Page 1 is the address
# without it, so ``page=1`` is an alias too.
PAGE_QUERY = re.compile(r"page=([2-9]|[1-9][0-9]{1,5})")
# Headers a replayed page must not carry: they describe one exchange only.
SKIPPED_HEADERS = frozenset({"set-cookie", "x-page-cache", "date"})


def bypass_cookies() -> tuple[str, ...]:
    """Cookies that mark a visitor whose pages may differ from everyone's.

    Always the session cookie and the key of password-protected posts: a
    reader who unlocked one must get its text, never the shared form page.
    """
    extra = getattr(
        settings, "AFTERWORD_PAGE_CACHE_BYPASS_COOKIES", DEFAULT_BYPASS_COOKIES
    )
    return (settings.SESSION_COOKIE_NAME, UNLOCK_COOKIE, *extra)


def excluded_prefixes() -> tuple[str, ...]:
    configured = getattr(
        settings, "AFTERWORD_PAGE_CACHE_EXCLUDE_PREFIXES", DEFAULT_EXCLUDE_PREFIXES
    )
    return (*configured, settings.MEDIA_URL, settings.STATIC_URL)


def canonical_host(request: HttpRequest) -> str | None:
    """The request's host if it is spelled the one way pages are stored under.

    Django has already checked the name against ``ALLOWED_HOSTS``, but it
    accepts any case, a trailing dot and any port: each would otherwise be
    an entry of its own.
    """
    host = request.get_host()
    domain, port = split_domain_port(host)
    if host != (f"{domain}:{port}" if port else domain):
        return None
    if port and port != str(request.META.get("SERVER_PORT", "")):
        return None
    return host


def request_url(request: HttpRequest) -> str | None:
    """The address a request is cached under, or None if it isn't.

    Only ``GET``/``HEAD`` from anonymous visitors qualify, on the canonical
    host, with no query string or exactly ``page=N`` (see the module's
    docstring; ``is_canonical`` checks the rest once the view has answered).
    """
    if request.method not in ("GET", "HEAD"):
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    cookies = request.COOKIES
    if cookies and any(name in cookies for name in bypass_cookies()):
        return None
    path = request.path
    if path.startswith(excluded_prefixes()):
        return None
    query = request.META.get("QUERY_STRING", "")
    if query and not PAGE_QUERY.fullmatch(query):
        return None
    host = canonical_host(request)
    if host is None:
        return None
    return f"{request.scheme}://{host}{path}{'?' + query if query else ''}"


def own_path(request: HttpRequest) -> str | None:
    """The path Django's URL map writes for the view this request resolved to."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    # Named routes reverse by name; an unnamed one by its view function.
    target = match.view_name if match.url_name else match.func
    try:
        return reverse(
            target,
            args=match.args,
            kwargs=match.kwargs,
            urlconf=getattr(request, "urlconf", None),
        )
    except NoReverseMatch:
        return None


def shown_page(response: HttpResponse) -> int | None:
    """The number of the paginated page a template response shows, if any."""
    context = getattr(response, "context_data", None) or {}
    numbers = {value.number for value in context.values() if isinstance(value, Page)}
    return numbers.pop() if len(numbers) == 1 else None


def is_canonical(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the view answered under the address it writes for itself."""
    path = own_path(request)
    if path is None or unquote(path) != request.path:
        return False
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    return str(shown_page(response)) == query.removeprefix("page=")


def entry_key(state: ContentState, url: str) -> str:
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"afterword:pagecache:page:{state.version}:{digest}"


def is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    if response.get("Vary", "").strip() == "*":
        return False
    if "immutable" in cache_control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def replay(request: HttpRequest, entry: tuple) -> HttpResponse:
    """Rebuild a stored page, or answer 304 when the client's copy is current."""
    headers, body, etag, last_modified = entry
    response = HttpResponse(b"" if request.method == "HEAD" else body)
    for name, value in headers:
        response.headers[name] = value
    response.headers["X-Page-Cache"] = "hit"
    return get_conditional_response(
        request, etag=etag, last_modified=int(last_modified), response=response
    )


def write_file(
    request: HttpRequest,
    content_type: str,
    body: bytes,
    state: ContentState,
    cache,
    now: float,
    only_if_missing: bool = False,
) -> None:
    """Also keep an HTML page as a file for nginx, when page files are on."""
    if (
        files.page_dir() is not None
        and not request.META.get("QUERY_STRING")
        and content_type.startswith("text/html")
    ):
        files.write_page(
            request.get_host(),
            request.path,
            body,
            state,
            cache,
            now,
            only_if_missing=only_if_missing,
        )


def store(
    request: HttpRequest,
    response: HttpResponse,
    state: ContentState,
    key: str,
    cache,
    now: float,
) -> HttpResponse:
    """Stamp a fresh page with validators, keep it, and honour a conditional GET."""
    body = response.content
    etag = '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'
    response.headers["ETag"] = etag
    # A view's own Last-Modified (a feed's newest entry) wins over the version's.
    response.headers.setdefault("Last-Modified", http_date(state.changed_at))
    last_modified = parse_http_date_safe(response["Last-Modified"]) or int(
        state.changed_at
    )
    # Browsers may keep the page but must ask again each time; the answer is
    # usually a cheap 304.
    if "Cache-Control" not in response.headers:
        patch_cache_control(response, no_cache=True)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in SKIPPED_HEADERS
    ]
    timeout = getattr(settings, "AFTERWORD_PAGE_CACHE_TIMEOUT", DEFAULT_TIMEOUT)
    cache.set(key, (headers, body, etag, last_modified), timeout)
    write_file(request, response.get("Content-Type", ""), body, state, cache, now)
    response.headers["X-Page-Cache"] = "miss"
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


class PageCacheMiddleware:
    """Answer anonymous page views from the shared cache, keeping it current."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The page and its kept parts read the content version once.
        with one_read_per_request():
            return self.answer(request)

    def answer(self, request: HttpRequest) -> HttpResponse:
        if not getattr(settings, "AFTERWORD_PAGE_CACHE", True):
            return self.get_response(request)
        url = request_url(request)
        if url is None:
            return self.get_response(request)
        cache = shared_cache()
        now = time.time()
        try:
            state = current_state(cache, now)
            key = entry_key(state, url)
            entry = cache.get(key)
        except Exception:
            # A cache outage must not take the site down: serve uncached.
            logger.exception("Page cache unavailable; serving without it.")
            return self.get_response(request)
        if entry is not None:
            # nginx asks for a page it has no file for (a new time bucket, a
            # file swept away): answer from the cache and put the file back.
            headers, body = dict(entry[0]), entry[1]
            content_type = headers.get("Content-Type", "")
            write_file(
                request, content_type, body, state, cache, now, only_if_missing=True
            )
            return replay(request, entry)
        response = self.get_response(request)
        if is_cacheable(request, response) and is_canonical(request, response):
            return store(request, response, state, key, cache, now)
        return response
