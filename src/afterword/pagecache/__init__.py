"""The full-page cache for anonymous readers.

Most visitors of a review blog are anonymous and see exactly the same HTML, so
the first rendering of a page is stored in the shared Django cache
(``caches["default"]``: a file cache under ``var/`` by default, Redis in
production) and replayed for everybody else until something it shows changes.

How it fits together:

``middleware.PageCacheMiddleware``
    Sits right after WhiteNoise. For an anonymous ``GET``/``HEAD`` (no session
    cookie, none of the cookies in ``AFTERWORD_PAGE_CACHE_BYPASS_COOKIES``) it
    answers from the cache without running the view, with ``ETag`` and
    ``Last-Modified`` and ``304 Not Modified`` for conditional requests. On a
    miss it stores cacheable responses: status 200, no cookies set, not
    ``Cache-Control: private``/``no-store``/``immutable``, not under
    ``AFTERWORD_PAGE_CACHE_EXCLUDE_PREFIXES``, and only under the canonical
    address of the page (host, path and ``?page=N`` spelled as the site
    writes them; the middleware's docstring says why and how). The headers
    are stored with the body, so a page replays the Content-Security-Policy
    (and its nonce) it was rendered with.

``state``
    Every cache key includes a *content version* kept in the shared cache.
    Invalidation is one write: a new version, seen by every process at once.
    The same record holds the time of the next scheduled post, so a request
    arriving after that time starts a new version itself: scheduled posts
    appear on time even when the task worker is down, at the cost of one
    cache read per request and no database query. The record itself, and
    how to read it, is in ``version``, which ``files`` uses without
    importing ``state``.

``files``
    With ``AFTERWORD_PAGE_CACHE_DIR`` set, cacheable HTML pages are also
    written as ``<dir>/<bucket>/<host>/<path>/index.html`` (and
    ``index.html.gz``) for nginx to serve directly to requests without
    cookies (docs/deploy.md). The time bucket keeps scheduled posts on time
    even though nginx never asks the app. Invalidation moves the bucket
    folders away and deletes them, in a folder the app has marked as its own
    (never one holding anything else, such as the data folder).

``fragments.remember(name, build)``
    For the parts of a page that change only with content (navigation, a
    post's neighbours): built once per content version, shared by every
    process, so even an uncached render skips their queries.

Extending it: nothing to call. The page cache subscribes to
``afterword.core.changes``, which sees every committed change to a model its
app declared public (``changes.public(Model, ...)`` in the app's ``ready()``)
and starts a new version once per commit. A new model that readers see needs
only that declaration; the registry test fails until it has one.
Views whose output depends on the visitor must mark it with ``never_cache`` or
``cache_control(private=True)``, or set a cookie.
"""
