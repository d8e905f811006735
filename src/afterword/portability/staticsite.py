"""``afterword build OUTDIR``: the public site as static files.

The build reads like Pelican's reader -> generator -> writer:

1. **Addresses** (the generator's list): the home page, every live post and
   page, feeds, sitemap, robots.txt, the series and catalog indexes; then
   every internal link found in the pages rendered so far (archives, tags,
   pagination, catalog pages, avatars ...), so anything a page links to is
   built too.
2. **Render**: each address goes through the real view, in-process, with a
   bare request (no middleware stack) that says it is for a static copy
   (``core.staticcopy``). The views and templates print the copy as it must
   be published, and nothing edits a page afterwards:
   - addresses come out under ``--base-url``'s path, or relative to each
     page (``--relative``), through Django's script prefix, which
     ``reverse()`` and the storages' ``url()`` honour; absolute URLs
     (canonical links, feeds) stay absolute (``core.urls.site_path``);
   - a listing's page N is the folder ``<address>page/N/``
     (``PostListView.page_url``);
   - forms and links that need a server (comments, logins, follow, contact)
     point at ``--comments-endpoint``, or are left out without one;
   - scripts carry no nonce and forms no token, so the same site always
     builds to the same bytes.
   The search page becomes a static page reading a prebuilt JSON index.
3. **Write**: a file is written only when its bytes differ from the copy
   already there, and only inside the output folder (``outfolder``): a path
   that would leave it, from a crafted link or a tampered manifest, is
   refused and reported, never written or deleted.

A second build renders only the pages that show what changed since the
first (``buildstate`` keeps what each page was made from), and says how many
files it wrote. Pages render with a cache of the build's own, never the live
site's, and are shared among worker processes as they are found.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import posixpath
import re
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from queue import SimpleQueue
from urllib.parse import parse_qsl, unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import (
    Resolver404,
    ResolverMatch,
    get_script_prefix,
    resolve,
    set_script_prefix,
)

from afterword.core import staticcopy
from afterword.core.staticcopy import UnderScriptPrefix
from afterword.feeds.sitemaps import part_path
from afterword.feeds.sitemaps import parts as sitemap_parts
from afterword.media import storage as media_storage
from afterword.pagecache import fragments
from afterword.pagecache.state import STATE_KEY
from afterword.posts.models import Post

from . import buildstate, outfolder
from .prepared import PreparedSite

# Addresses per task sent to a worker process.
BATCH = 16
# Fewer addresses to start from than this per worker are rendered in one
# process: forking and connecting would cost more than it saves.
PARALLEL_FROM = 4
# Rewritten links each process remembers (``rewrite``): a bound on memory
# that does not grow with the site.
LINKS_KEPT = 20_000
# Builds rendering more pages than this read the site once up front
# (``prepared``); a small incremental build queries only what it renders.
PREPARE_FROM = 200
# ... unless the site has more listed posts than this: its posts, comments
# and terms would not fit in memory at once, so each batch of addresses
# reads its own posts (``PreparedSite.of_batch``).
PREPARE_UP_TO = 10_000
BATCHES = "batches"
SEEDS = (
    "/",
    "/feed/",
    "/feed/atom/",
    "/comments/feed/",
    "/comments/feed/atom/",
    "/sitemap.xml",
    "/robots.txt",
    "/series/",
    "/catalog/",
)
# Addresses that need a running server: never rendered into the static copy.
DYNAMIC = re.compile(
    r"^/(?:admin|accounts|comments/(?:post|token|email|[0-9]+)|contact|follow)(?:/|$)"
)
# The addresses a page links to (read, never changed: see ``links_of``).
LINK = re.compile(r'\s(?:href|src|action|data-token-url)="([^"]*)"')
HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HTML_TYPES = ("text/html",)
# The one page query a static address keeps (``?page=N`` -> ``page/N/``).
PAGE_NUMBER = re.compile(r"[1-9][0-9]*")
# Page N of a listing, as the build writes it (``resolve_address``).
LISTING_PAGE = re.compile(r"(/(?:.*/)?)page/([1-9][0-9]*)/")
# A feed with no entries says "updated now": not a change worth a rewrite.
FEED_CLOCK = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")


@dataclass
class BuildOptions:
    base_url: str = ""
    relative: bool = False
    comments_endpoint: str = ""


@dataclass
class BuildReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    pages: int = 0
    rendered: int = 0
    # How many processes rendered pages (``--workers``).
    processes: int = 0
    # Whether the site was read up front (``prepared``), or each batch of
    # addresses' posts (too many to hold).
    prepared: bool = False
    batched: bool = False
    # Why every page was rendered (empty when only some were).
    reason: str = ""
    skipped: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    # Paths outside the output folder that a page or the last manifest named.
    refused: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.written + self.unchanged


@dataclass
class PageResult:
    """One rendered address: its file (empty when not a page), posts and links."""

    url: str
    file: str = ""
    posts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    written: bool = False
    refused: bool = False
    # The process that rendered it.
    pid: int = 0


def page_number(query: str) -> str | None:
    """The ``page`` of a query string when it is a page number, else None."""
    page = dict(parse_qsl(query)).get("page")
    return page if page is not None and PAGE_NUMBER.fullmatch(page) else None


def resolve_address(path: str) -> tuple[ResolverMatch, str, str] | None:
    """The view of a built address, and the path and query to ask it with.

    A listing's page N is built at ``<address>page/N/``, which its view
    serves at ``<address>?page=N`` (the home page has ``/page/N/`` itself).
    Addresses are as pages print them, a Unicode slug percent-encoded.
    """
    paged = LISTING_PAGE.fullmatch(path)
    if paged is not None and paged.group(1) != "/":
        # Asked first: no route but the home page's ends in ``page/N/``, and
        # an address no route matches is a walk through every route.
        listing = _paged_listing(paged)
        if listing is not None:
            return listing
    try:
        return resolve(unquote(path)), path, ""
    except Resolver404:
        pass
    return _paged_listing(paged) if paged is not None else None


def _paged_listing(paged: re.Match) -> tuple[ResolverMatch, str, str] | None:
    """Page N of a listing whose pages are folders, asked as ``?page=N``."""
    try:
        match = resolve(unquote(paged.group(1)))
    except Resolver404:
        return None
    if not getattr(getattr(match.func, "view_class", None), "pages_as_folders", False):
        return None
    return match, paged.group(1), f"page={paged.group(2)}"


def output_path(url: str) -> str:
    """Where an address is stored: ``/a/b/`` -> ``a/b/index.html``.

    Only a page number becomes part of the path (``?page=2`` ->
    ``page/2/``); anything else in ``?page=`` leaves the path as it is. A
    percent-encoded name is stored decoded, as a web server looks it up.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    page = page_number(parts.query)
    if page is not None:
        path = path + f"page/{page}/"
    if path.endswith("/"):
        return path.lstrip("/") + "index.html"
    return path.lstrip("/")


def public_url(url: str) -> str:
    """The static address of a link: ``?page=N`` as a path, other queries gone."""
    parts = urlsplit(url)
    path = parts.path
    page = page_number(parts.query)
    if page is not None:
        path = path + f"page/{page}/"
    return path + (f"#{parts.fragment}" if parts.fragment else "")


class CopiedStaticFiles(UnderScriptPrefix, StaticFilesStorage):
    """The static files as the build copies them (unhashed names), addressed
    under the page's script prefix."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every page names the same few files, half a dozen times: each
        # address is put together once per script prefix.
        self.urls: dict[tuple[str, str], str] = {}

    def url(self, name) -> str:
        key = (name, get_script_prefix())
        if key not in self.urls:
            self.urls[key] = super().url(name)
        return self.urls[key]


class Builder:
    def __init__(self, outdir: Path, options: BuildOptions) -> None:
        self.outdir = outdir
        self.folder = outfolder.OutputFolder(outdir)
        self.options = options
        self.report = BuildReport()
        self.factory = RequestFactory()
        self.produced: set[str] = set()
        self.plan: buildstate.Plan | None = None
        self.prepared: PreparedSite | None = None
        # Whether each batch of addresses reads its posts together.
        self.batches = False
        # Addresses of the batch being built, resolved (``build_batch``).
        self.resolved: dict[str, tuple[ResolverMatch, str, str] | None] = {}
        # Folders known to exist.
        self.folders: set[str] = set()
        # Whether the output folder started empty: nothing to compare with.
        self.fresh = False
        # The site's address each link value stands for (None: not a page
        # of this site), when that does not depend on the page.
        self.links: dict[str, str | None] = {}
        # Whether each view answered with HTML, when links are relative:
        # only HTML pages are written relative to themselves.
        self.html_views: dict[object, bool] = {}
        self.copy = staticcopy.StaticCopy(server=options.comments_endpoint.rstrip("/"))
        base = urlsplit(options.base_url)
        self.base_path = base.path.rstrip("/") if options.base_url else ""
        # What absolute links to this copy start with (``SITE_URL``).
        self.site_root = (options.base_url or settings.SITE_URL).rstrip("/")

    # -- rendering ------------------------------------------------------------
    def prefix(self, url: str = "/", html: bool = True) -> str:
        """The script prefix ``url`` is rendered under: the base path, or for
        an HTML page with relative links, the way from its folder to the
        root (``../../`` for ``/2024/05/``)."""
        if html and self.options.relative:
            depth = output_path(url).count("/")
            return "../" * depth or "./"
        return self.base_path + "/"

    def request(self, path: str, query: str = "", prefix: str = "/"):
        """An anonymous reader's request for a static copy, nothing personal
        in it; its ``path`` is the address as the page prints it."""
        request = self.factory.get(
            f"{path}?{query}" if query else path, SERVER_NAME=self.server_name()
        )
        request.path = prefix + unquote(path).lstrip("/")
        request.user = AnonymousUser()
        request.session = {}
        request.csp_nonce = ""
        setattr(request, staticcopy.ATTRIBUTE, self.copy)
        # Each address is rendered once: what shows at one address only is
        # not kept (``for_one_address``), so the cache holds what pages share.
        setattr(request, fragments.ONCE_ATTRIBUTE, True)
        request.COOKIES = {}
        return request

    def render(self, url: str) -> tuple[bytes, str] | None:
        """The page at ``url``: its bytes and content type."""
        if url in self.resolved:
            found = self.resolved.pop(url)
        else:
            found = resolve_address(urlsplit(url).path)
        if found is None:
            return None
        match, path, query = found
        html = self.html_views.get(match.func, True)
        prefix = self.prefix(url, html)
        response = self.respond(match, path, query, prefix)
        if response is None:
            return None
        content_type = response.get("Content-Type", "")
        if self.options.relative and content_type.startswith(HTML_TYPES) != html:
            # A feed or a sitemap: its addresses are absolute, from the root.
            html = self.html_views[match.func] = not html
            prefix = self.prefix(url, html)
            response = self.respond(match, path, query, prefix)
            if response is None:
                return None
        return response.content, content_type

    def respond(self, match: ResolverMatch, path: str, query: str, prefix: str):
        """The view's answer for a static copy, or None when it is not a page."""
        request = self.request(path, query, prefix)
        outer = get_script_prefix()
        set_script_prefix(prefix)
        try:
            response = None
            renderer = self.prepared.renderer(match) if self.prepared else None
            if renderer is not None:
                response = renderer(request, match)
            if response is None:
                response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
        except Http404:
            return None
        finally:
            set_script_prefix(outer)
        if response.status_code != 200 or response.streaming:
            return None
        return response

    def server_name(self) -> str:
        host = urlsplit(self.options.base_url or settings.SITE_URL).hostname
        return host or "127.0.0.1"

    # -- links ----------------------------------------------------------------
    def links_of(self, html: str, url: str) -> tuple[list[str], list[str]]:
        """The site's own addresses a page links to, as paths from the root
        (read from the page, which is written as it was rendered), and
        those it names with absolute URLs too (its canonical link): these
        tell which posts it shows, the others what to build next."""
        page = None
        linked: list[str] = []
        named: list[str] = []
        # Each value once: a page names its header's links, a comment's
        # author and the pages around it several times over.
        for value in set(LINK.findall(html)):
            known = self.links.get(value, False)
            if known is False:
                if not self.options.relative or value.startswith(("/", "http")):
                    known = self.address_of(value)
                    if len(self.links) >= LINKS_KEPT:
                        # Most links are to posts, each named by a few pages:
                        # the header's and the listings' are found again soon.
                        self.links.clear()
                    self.links[value] = known
                else:
                    if page is None:
                        page = "/" + output_path(url)
                    known = self.address_of(value, page)
            if known is not None:
                named.append(known)
                if not HAS_SCHEME.match(value):
                    linked.append(known)
        return linked, named

    def address_of(self, value: str, page: str | None = None) -> str | None:
        """The root path a link value names on this copy, or None when it
        is not one of its pages (another site, a file, the server's);
        ``page``, the file a relative link is read from."""
        value = value.split("#", 1)[0]
        if not value or value.startswith("//"):
            return None
        if HAS_SCHEME.match(value):
            if not value.startswith(self.site_root + "/"):
                return None
            value = value[len(self.site_root) :]
        elif value.startswith("/"):
            if self.base_path:
                if not value.startswith(self.base_path + "/"):
                    return None
                value = value[len(self.base_path) :]
        elif page is not None:
            value = _resolve(value, page)
            if value is None:
                return None
        else:
            return None
        path = urlsplit(value).path
        if (
            path.startswith((settings.STATIC_URL, settings.MEDIA_URL))
            or path == "/search/"
            or DYNAMIC.match(path)
        ):
            return None
        return public_url(value)

    # -- writing --------------------------------------------------------------
    def write(self, relative: str, data: bytes) -> None:
        """Store a file and count it in the report."""
        self.produced.add(relative)
        if self.store(relative, data):
            self.report.written += 1
            self.report.changed.append(relative)

    def store(self, relative: str, data: bytes) -> bool:
        """Write a file unless the same bytes are there; whether it was written.

        A path that would leave the output folder is refused (see
        ``outfolder``) and counted in the report.
        """
        # Plain os calls: this runs for every file of the site.
        target = self.folder.path_for(relative)
        if target is None:
            self.report.refused.append(relative)
            return False
        old = None if self.fresh else outfolder.read_file(target)
        if old is not None and (
            old == data
            or (
                FEED_CLOCK.search(data)
                and FEED_CLOCK.sub(b"", old, 1) == FEED_CLOCK.sub(b"", data, 1)
            )
        ):
            return False
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        # An existing file is replaced in one step: a server reading it never
        # sees half.
        outfolder.write_file(target, data, replace=old is not None)
        return True

    def copy_media(self, prefix: str) -> None:
        """Every uploaded file, read through the media storage (disk or bucket)."""
        for name in media_storage.walk(default_storage):
            with default_storage.open(name, "rb") as handle:
                self.write(f"{prefix}/{name}", handle.read())

    # -- the whole build ------------------------------------------------------
    def seeds(self) -> list[str]:
        """Where a build starts: the fixed addresses, the sitemap's parts and
        every live post (unlisted ones are built, reachable by their
        address; private ones never; a protected one's page is its form)."""
        urls = list(SEEDS)
        # The sitemap index names its parts by absolute address, which the
        # link rewriting of HTML pages does not follow.
        urls += [part_path(section, page) for section, page in sitemap_parts()]
        return urls + list(self.plan.paths)

    def build_one(self, url: str) -> PageResult:
        """Render and write one address; what it wrote, shows and links to."""
        relative = output_path(url)
        if self.folder.path_for(relative) is None:
            # Checked here as well as in ``store``: this may run in a worker,
            # whose report the main process never sees.
            return PageResult(url, relative, refused=True)
        rendered = self.render(url)
        if rendered is None:
            return PageResult(url)
        body, content_type = rendered
        links: list[str] = []
        if content_type.startswith(HTML_TYPES):
            linked, named = self.links_of(body.decode("utf-8", "replace"), url)
            links = sorted(set(linked))
            posts = self.plan.ids_of(named) if self.plan else []
        else:
            # Feeds and sitemaps: their absolute addresses name the posts.
            text = body.decode("utf-8", "replace")
            posts = self.plan.post_ids(text, self.base_path) if self.plan else []
        return PageResult(
            url, relative, posts, links, self.store(relative, body), pid=os.getpid()
        )

    def build_batch(self, urls: list[str]) -> list[PageResult]:
        if not self.batches:
            return [self.build_one(url) for url in urls]
        # The batch's posts, read together (``PreparedSite.of_batch``); each
        # address is resolved once, for that and for ``render``.
        self.resolved = {url: resolve_address(urlsplit(url).path) for url in urls}
        matches = [found[0] for found in self.resolved.values() if found]
        outer = get_script_prefix()
        set_script_prefix(self.prefix())
        try:
            self.prepared = PreparedSite.of_batch(matches)
        finally:
            set_script_prefix(outer)
        try:
            return [self.build_one(url) for url in urls]
        finally:
            self.prepared = None
            self.resolved = {}

    def run(self, workers: int = 1, prepare: bool | str | None = None) -> BuildReport:
        """Render what changed since the last build, and whatever it links to.

        The first build (or one after a change this cannot narrow down, see
        ``buildstate``) starts from the home page, feeds and every live post,
        and follows internal links until no new address turns up. Pages are
        shared among ``workers`` processes as they are found (forked, so they
        inherit the settings and loaded templates).
        """
        self.outdir.mkdir(parents=True, exist_ok=True)
        self.folder = outfolder.OutputFolder(self.outdir)
        self.fresh = not any(self.outdir.iterdir())
        previous = buildstate.Record(self.outdir)
        self.plan = plan = buildstate.plan(previous, self.options)
        self.report.reason = plan.reason
        stale = previous.files() if plan.full else []
        record = buildstate.Writer(previous, plan.full)
        if plan.full:
            start = self.seeds()
            known: set[str] | KnownAddresses = set(start)
        else:
            # Pages that show none of the changed posts keep their files.
            start = sorted(plan.todo)
            known = KnownAddresses(start, record.has_address)
        if prepare is None:
            many = plan.full or len(plan.todo) > PREPARE_FROM
            held = Post.objects.posts().listed().count() <= PREPARE_UP_TO
            prepare = many and (True if held else BATCHES)
        # What it loads holds addresses (a post's series contents), written
        # under one script prefix: links relative to each page have many.
        if self.options.relative:
            prepare = False
        self.batches = prepare == BATCHES
        self.report.batched = self.batches
        prepare = prepare is True
        if prepare:
            outer = get_script_prefix()
            set_script_prefix(self.prefix())
            try:
                self.prepared = PreparedSite()
            finally:
                set_script_prefix(outer)
        self.report.prepared = prepare
        pids: set[int] = set()
        for result in self.crawl(start, known, workers):
            pids.add(result.pid)
            if result.refused:
                self.report.refused.append(result.file)
                continue
            if not result.file:
                self.report.skipped.append(result.url)
                stale += record.not_a_page(result.url)
                continue
            record.page(result.url, result.file, result.posts, result.links)
            self.report.rendered += 1
            if result.written:
                self.report.written += 1
                self.report.changed.append(result.file)
        # The worker processes; the parent when it rendered every page (it
        # renders the first few itself before it starts workers).
        workers_seen = pids - {0, os.getpid()}
        self.report.processes = len(workers_seen) or len(pids - {0})
        # An edit can remove the last link to a page: a fresh build would
        # not have it, so neither does this one.
        if record.unlinked:
            stale += record.unreachable(self.seeds())
        if plan.full or plan.search_changed:
            self.search()
        self.assets(media=plan.full)
        record.files(self.produced)
        if stale:
            # Every file of the site, this build's and the ones it kept.
            self.remove_stale(stale, record.all_files())
        self.report.pages = record.count_pages() + 1  # and the search page
        self.report.unchanged = record.count_files() - self.report.written
        record.finish(plan)
        return self.report

    def crawl(self, start: list[str], known: set[str] | KnownAddresses, workers: int):
        """Build ``start`` and every new address the built pages link to."""
        if (
            workers <= 1
            or len(start) < PARALLEL_FROM * workers
            or connection.in_atomic_block
        ):
            # Inside a transaction, other processes could not see its rows.
            queue = deque(start)
            while queue:
                batch = [queue.popleft() for _ in range(min(BATCH, len(queue)))]
                for result in self.build_batch(batch):
                    queue.extend(self.follow(result, known))
                    yield result
            return
        # The first addresses (the home page, the feeds) are rendered here
        # before forking: the templates they compile and the fragments every
        # page shares (header, menus, footer) are then inherited by each
        # worker, which would otherwise make its own. An incremental build's
        # dozen pages keep most of theirs for the workers.
        warm_up = max(1, min(BATCH, len(start) // (2 * workers)))
        warm_up, start = start[:warm_up], start[warm_up:]
        for result in self.build_batch(warm_up):
            start.extend(self.follow(result, known))
            yield result
        shared = connection.vendor == "sqlite" and connection.is_in_memory_db()
        if not shared:
            # Each process opens its own connection (on PostgreSQL, a socket
            # used by two processes mixes their queries' results); an
            # in-memory test database is instead inherited as it is.
            connections.close_all()
        context = multiprocessing.get_context("fork")
        # What the parent holds is never collected in the workers: a
        # collection would write to every object's header and copy the
        # pages they share with the parent.
        gc.freeze()
        try:
            done: SimpleQueue = SimpleQueue()
            with context.Pool(workers, _start_worker, (self, shared)) as pool:
                pending = 0

                def submit(urls: list[str], size: int = BATCH) -> None:
                    nonlocal pending
                    # Small batches keep both processes busy to the end.
                    for i in range(0, len(urls), size):
                        pending += 1
                        pool.apply_async(
                            _build_batch,
                            (urls[i : i + size],),
                            callback=done.put,
                            error_callback=done.put,
                        )

                # A few addresses go one at a time, so that a slow one (the
                # part of the sitemap an edited post is in) holds up no other.
                submit(start, max(1, min(BATCH, len(start) // (4 * workers))))
                while pending:
                    results = done.get()
                    pending -= 1
                    if isinstance(results, BaseException):
                        raise results
                    found = []
                    for result in results:
                        found.extend(self.follow(result, known))
                        yield result
                    submit(found)
        finally:
            gc.unfreeze()

    def follow(self, result: PageResult, known: set[str] | KnownAddresses) -> list[str]:
        """The addresses a page links to that are not built or queued yet."""
        found = [link for link in result.links if link not in known]
        known.update(found)
        return found

    def reachable(self, pages: dict[str, dict]) -> dict[str, dict]:
        """The pages linked, directly or not, from the home page, feeds and posts."""
        queue = deque(url for url in self.seeds() if url in pages)
        seen = set(queue)
        while queue:
            for link in pages[queue.popleft()].get("links", []):
                if link in pages and link not in seen:
                    seen.add(link)
                    queue.append(link)
        return {url: page for url, page in pages.items() if url in seen}

    def search(self) -> None:
        """The search page: a static page reading the index, a JSON file of
        every listed post, whose addresses are written as the page's are."""
        prefix = self.prefix("/search/")
        outer = get_script_prefix()
        set_script_prefix(prefix)
        try:
            self.write_search(prefix)
        finally:
            set_script_prefix(outer)
        self.report.rendered += 1

    def write_search(self, prefix: str) -> None:
        entries = [
            {
                "title": post.title,
                "url": post.get_absolute_url(),
                "summary": post.summary,
                "date": post.published_at.date().isoformat()
                if post.kind == Post.Kind.POST and post.published_at
                else "",
            }
            for post in Post.objects.listed()
            .only("kind", "slug", "title", "summary", "published_at", "created_at")
            .order_by("-published_at", "-pk")
            .iterator(chunk_size=2_000)
        ]
        data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        self.write("search-index.json", data.encode("utf-8"))
        html = render_to_string(
            "portability/static_search.html",
            {"index_url": f"{prefix}search-index.json"},
            request=self.request("/search/", prefix=prefix),
        )
        self.write("search/index.html", html.encode("utf-8"))

    def assets(self, media: bool = True) -> None:
        """The static files, always (a few hundred, whatever the site's size),
        and the uploaded media when ``media``: a build that renders only
        some pages has no new upload to copy (an upload starts a full one)."""
        static_prefix = settings.STATIC_URL.strip("/")
        for finder in finders.get_finders():
            for path, storage in finder.list(["CVS", ".*", "*~"]):
                name = getattr(storage, "prefix", None)
                relative = f"{name}/{path}" if name else path
                target = f"{static_prefix}/{relative}"
                if target in self.produced:
                    continue
                with storage.open(path) as handle:
                    self.write(target, handle.read())
        if media:
            self.copy_media(settings.MEDIA_URL.strip("/"))

    def remove_stale(self, previous: list[str], kept: set[str]) -> None:
        """Delete the last build's files that this one does not have.

        The list comes from the record on disk: a name that would leave the
        output folder is refused and reported, not deleted.
        """
        for relative in previous:
            if relative in kept:
                continue
            target = self.folder.path_for(relative)
            if target is None:
                self.report.refused.append(relative)
            elif os.path.isfile(target) or os.path.islink(target):
                # A link is removed itself; what it points at is not touched.
                os.unlink(target)
                self.report.removed += 1


class KnownAddresses:
    """The addresses an incremental build has rendered, queued or kept.

    The last build's are asked of its record one link at a time: a page
    rendered again links to a few hundred, where the record of a large site
    holds hundreds of thousands.
    """

    def __init__(self, start: list[str], recorded) -> None:
        self.seen = set(start)
        self.recorded = recorded

    def __contains__(self, url: str) -> bool:
        if url in self.seen:
            return True
        if self.recorded(url):
            self.seen.add(url)
            return True
        return False

    def update(self, urls: list[str]) -> None:
        self.seen.update(urls)


_WORKER: Builder | None = None


def _start_worker(builder: Builder, shared: bool) -> None:
    """A forked worker: the builder, and database connections of its own.

    The parent closed its connections before forking; should one have been
    opened since, the child forgets it without closing it (closing would end
    the parent's session on the server) and opens its own on first use.
    """
    global _WORKER
    _WORKER = builder
    if not shared:
        for opened in connections.all(initialized_only=True):
            opened.connection = None


def _build_batch(urls: list[str]) -> list[PageResult]:
    return _WORKER.build_batch(urls)


def build_site(
    outdir: Path,
    options: BuildOptions | None = None,
    *,
    workers: int = 1,
    prepare: bool | str | None = None,
) -> BuildReport:
    """Build the public site into ``outdir``; see the module docstring.

    ``prepare`` reads the site up front (``prepared``): by default when the
    build renders more than ``PREPARE_FROM`` pages of a site of at most
    ``PREPARE_UP_TO`` listed posts, and each batch of addresses' posts
    (``BATCHES``) on a larger one; ``False`` renders every page through its
    view alone (the tests compare the three).
    """
    options = options or BuildOptions()
    site_url = (options.base_url or settings.SITE_URL).rstrip("/")
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "afterword.portability.staticsite.CopiedStaticFiles"
        },
    }
    # A cache of the build's own: rendered fragments neither come from the
    # live site's cache (which may hold another version of the content) nor
    # fill it with pages nobody will request, and nothing is compressed and
    # written to disk on the way.
    build_caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"afterword-build-{secrets.token_hex(6)}",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    # Unhashed static names (the files are copied as they are) and the
    # public address in canonical links and feeds.
    with override_settings(STORAGES=storages, SITE_URL=site_url, CACHES=build_caches):
        # Our own content version, so a fresh cache does not start a new one
        # for the live site (which would clear its page files).
        caches["default"].set(
            STATE_KEY, (f"build-{secrets.token_hex(8)}", time.time(), None), None
        )
        connection_created.connect(_tune_sqlite)
        if connection.vendor == "sqlite" and connection.connection is not None:
            _tune_sqlite(connection.vendor, connection)
        try:
            return Builder(outdir, options).run(workers, prepare)
        finally:
            connection_created.disconnect(_tune_sqlite)


def _tune_sqlite(sender, connection, **kwargs) -> None:
    """Read the database through memory maps: pages are shared by the workers.

    Every listing and feed reads the same rows; through SQLite's small
    default page cache each process would copy them in again and again.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size = 268435456")


SRCSET = re.compile(r'\ssrcset="([^"]*)"')


def check_links(outdir: Path, base_path: str = "") -> list[str]:
    """Internal links and assets of built HTML pages that point at no file
    (``base_path``: the path the copy is published under, ``/blog``)."""
    broken = []
    for page in sorted(outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page_url = "/" + page.relative_to(outdir).as_posix()
        values = [m.group(1) for m in LINK.finditer(html)]
        for match in SRCSET.finditer(html):
            values.extend(
                item.strip().split(" ")[0] for item in match.group(1).split(",")
            )
        for value in values:
            target = _resolve(value, page_url)
            if target is None:
                continue
            if base_path and target.startswith(base_path + "/"):
                target = target[len(base_path) :]
            target = unquote(target)
            path = outdir / target.lstrip("/")
            if target.endswith("/"):
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page_url}: {value}")
    return broken


def _resolve(value: str, page_url: str) -> str | None:
    if not value or value.startswith(("#", "mailto:", "data:", "javascript:")):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path
    if not path:
        return None
    if not path.startswith("/"):
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), path))
        if path.endswith("/") and not joined.endswith("/"):
            joined += "/"
        path = joined
    return path.replace(os.sep, "/")


def clear(outdir: Path) -> None:
    """Remove a previous build entirely (``--clean``); see ``outfolder.clear``."""
    outfolder.clear(outdir, buildstate.MANIFEST, buildstate.LEGACY)
