"""Serve anonymous readers from the shared cache (see ``afterword.pagecache``)."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from . import files
from .state import ContentState, current_state, shared_cache

logger = logging.getLogger(__name__)

DEFAULT_BYPASS_COOKIES = ("messages",)
DEFAULT_EXCLUDE_PREFIXES = ("/admin/", "/accounts/")
DEFAULT_QUERY_PARAMS = ("page",)
DEFAULT_TIMEOUT = 24 * 3600
# Headers a replayed page must not carry: they describe one exchange only.
SKIPPED_HEADERS = frozenset({"set-cookie", "x-page-cache", "date"})


def bypass_cookies() -> tuple[str, ...]:
    """Cookies that mark a visitor whose pages may differ from everyone's."""
    extra = getattr(
        settings, "AFTERWORD_PAGE_CACHE_BYPASS_COOKIES", DEFAULT_BYPASS_COOKIES
    )
    return (settings.SESSION_COOKIE_NAME, *extra)


def excluded_prefixes() -> tuple[str, ...]:
    configured = getattr(
        settings, "AFTERWORD_PAGE_CACHE_EXCLUDE_PREFIXES", DEFAULT_EXCLUDE_PREFIXES
    )
    return (*configured, settings.MEDIA_URL, settings.STATIC_URL)


def request_url(request: HttpRequest) -> str | None:
    """The normalised address a request is cached under, or None if it isn't.

    Only ``GET``/``HEAD`` from anonymous visitors qualify, and only with no
    query string or one made of the allowed parameters (in any order).
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
    query = ""
    raw_query = request.META.get("QUERY_STRING", "")
    if raw_query:
        allowed = getattr(
            settings, "AFTERWORD_PAGE_CACHE_QUERY_PARAMS", DEFAULT_QUERY_PARAMS
        )
        pairs = parse_qsl(raw_query, keep_blank_values=True)
        if not pairs or any(name not in allowed for name, _ in pairs):
            return None
        query = "?" + urlencode(sorted(pairs))
    return f"{request.scheme}://{request.get_host()}{path}{query}"


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
        if is_cacheable(request, response):
            return store(request, response, state, key, cache, now)
        return response
