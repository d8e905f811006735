"""``afterword build OUTDIR``: the public site as static files.

The build reads like Pelican's reader -> generator -> writer:

1. **Addresses** (the generator's list): the home page, every live post and
   page, feeds, sitemap, robots.txt, the series and catalog indexes; then
   every internal link found in the pages rendered so far (archives, tags,
   pagination, catalog pages, avatars ...), so anything a page links to is
   built too.
2. **Render**: each address goes through the real view, in-process, with a
   bare request (no middleware stack): the output is the live site's HTML.
3. **Rewrite**: links are made absolute under ``--base-url`` or relative
   (``--relative``); ``?page=N`` becomes ``page/N/``; forms and links that
   need a server (comments, follow, contact) point at ``--comments-endpoint``
   or are removed; the search page becomes a static page reading a prebuilt
   JSON index.
4. **Write**: a file is written only when its bytes differ from the copy
   already there, so a second build after one edit rewrites only what
   changed, and says how many.

Every page is rendered without per-visitor data (no nonce, no form token), so
the same site always builds to the same bytes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.db import connection, connections
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve

from afterword.posts.models import Post

MANIFEST = ".afterword-build.json"
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
    r"^/(?:admin|accounts|comments/(?:post|token|email|\d+)|contact|follow)(?:/|$)"
)
LINK = re.compile(r"""(\s(?:href|src|action|data-token-url)=")([^"]*)(")""")
SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL)
NONCE = re.compile(r'\snonce="[^"]*"')
TOKEN = re.compile(r'(<input type="hidden" name="token" value=")[^"]*(")')
HTML_TYPES = ("text/html",)
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
    skipped: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.written + self.unchanged


def output_path(url: str) -> str:
    """Where an address is stored: ``/a/b/`` -> ``a/b/index.html``."""
    parts = urlsplit(url)
    path = parts.path
    query = dict(parse_qsl(parts.query))
    if "page" in query:
        path = path + f"page/{query['page']}/"
    if path.endswith("/"):
        return path.lstrip("/") + "index.html"
    return path.lstrip("/")


def public_url(url: str) -> str:
    """The static address of a link: ``?page=N`` as a path, other queries gone."""
    parts = urlsplit(url)
    path = parts.path
    query = dict(parse_qsl(parts.query))
    if "page" in query:
        path = path + f"page/{query['page']}/"
    return path + (f"#{parts.fragment}" if parts.fragment else "")


class Builder:
    def __init__(self, outdir: Path, options: BuildOptions) -> None:
        self.outdir = outdir
        self.options = options
        self.report = BuildReport()
        self.factory = RequestFactory()
        self.produced: set[str] = set()
        base = urlsplit(options.base_url)
        self.base_path = base.path.rstrip("/") if options.base_url else ""

    # -- rendering ------------------------------------------------------------
    def render(self, url: str) -> tuple[bytes, str] | None:
        parts = urlsplit(url)
        request = self.factory.get(url, SERVER_NAME=self.server_name())
        request.user = AnonymousUser()
        request.session = {}
        request.csp_nonce = ""
        request.COOKIES = {}
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
        except Http404:
            return None
        if response.status_code != 200 or response.streaming:
            return None
        return response.content, response.get("Content-Type", "")

    def server_name(self) -> str:
        host = urlsplit(self.options.base_url or settings.SITE_URL).hostname
        return host or "127.0.0.1"

    # -- link rewriting -------------------------------------------------------
    def rewrite(self, html: str, page_url: str) -> tuple[str, list[str]]:
        """Static links for one page; also the internal addresses it links to."""
        found: list[str] = []
        endpoint = self.options.comments_endpoint.rstrip("/")
        if not endpoint:
            html = FORM.sub(
                lambda m: "" if _posts_to_server(m.group(0)) else m.group(0), html
            )
        html = NONCE.sub("", html)
        html = TOKEN.sub(r"\1\2", html)

        def link(match: re.Match) -> str:
            value = match.group(2)
            if not value.startswith("/") or value.startswith("//"):
                return match.group(0)
            path = urlsplit(value).path
            if DYNAMIC.match(path):
                if endpoint:
                    return f"{match.group(1)}{endpoint}{value}{match.group(3)}"
                return match.group(0) if match.group(1).strip() == "action=" else ""
            if not path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
                found.append(value.split("#", 1)[0])
            new = self.local(public_url(value), page_url)
            return f"{match.group(1)}{new}{match.group(3)}"

        def srcset(match: re.Match) -> str:
            items = []
            for item in match.group(2).split(","):
                bits = item.strip().split(" ", 1)
                if bits[0].startswith("/"):
                    bits[0] = self.local(bits[0], page_url)
                items.append(" ".join(bits))
            return f"{match.group(1)}{', '.join(items)}{match.group(3)}"

        html = LINK.sub(link, html)
        html = SRCSET.sub(srcset, html)
        return html, found

    def local(self, target: str, page_url: str) -> str:
        """A root-relative address as the built site must write it."""
        if self.options.relative:
            page_dir = posixpath.dirname("/" + output_path(public_url(page_url)))
            path, _, fragment = target.partition("#")
            relative = posixpath.relpath(path, page_dir)
            if path.endswith("/") and not relative.endswith("/"):
                relative += "/"
            if relative == "./":
                relative = "./"
            return relative + (f"#{fragment}" if fragment else "")
        return self.base_path + target

    # -- writing --------------------------------------------------------------
    def write(self, relative: str, data: bytes) -> None:
        target = self.outdir / relative
        self.produced.add(relative)
        if target.is_file():
            old = target.read_bytes()
            if old == data or (
                FEED_CLOCK.search(data)
                and FEED_CLOCK.sub(b"", old, 1) == FEED_CLOCK.sub(b"", data, 1)
            ):
                self.report.unchanged += 1
                return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
        self.report.written += 1
        self.report.changed.append(relative)

    def copy_tree(self, source: Path, prefix: str) -> None:
        if not source.is_dir():
            return
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.write(
                    f"{prefix}/{path.relative_to(source).as_posix()}", path.read_bytes()
                )

    # -- the whole build ------------------------------------------------------
    def seeds(self) -> list[str]:
        urls = list(SEEDS)
        for post in Post.objects.live().only(
            "kind", "slug", "published_at", "created_at"
        ):
            urls.append(post.get_absolute_url())
        return urls

    def build_one(self, url: str) -> list[str]:
        """Render, rewrite and write one address; return the links it has."""
        rendered = self.render(url)
        if rendered is None:
            self.report.skipped.append(url)
            return []
        body, content_type = rendered
        links: list[str] = []
        if content_type.startswith(HTML_TYPES):
            html, links = self.rewrite(body.decode("utf-8"), url)
            body = html.encode("utf-8")
        self.write(output_path(url), body)
        self.report.pages += 1
        return links

    def build_batch(self, urls: list[str]) -> tuple[BuildReport, set[str], list[str]]:
        """Build some addresses (in a worker process); what it did, what it found."""
        self.report, self.produced = BuildReport(), set()
        found: list[str] = []
        for url in urls:
            found.extend(self.build_one(url))
        return self.report, self.produced, found

    def run(self, workers: int = 1) -> BuildReport:
        """Build level by level: the seeds, then what they link to, and so on.

        Each level is shared among ``workers`` processes (forked, so they
        inherit the settings and loaded templates).
        """
        self.outdir.mkdir(parents=True, exist_ok=True)
        previous = self.read_manifest()
        level = self.seeds()
        seen = set(level)
        report, produced = self.report, self.produced
        while level:
            results = self.build_level(level, workers)
            self.report, self.produced = report, produced
            following = []
            for part, files, links in results:
                report.written += part.written
                report.unchanged += part.unchanged
                report.pages += part.pages
                report.skipped.extend(part.skipped)
                report.changed.extend(part.changed)
                produced |= files
                for link in links:
                    path = urlsplit(link).path
                    if (
                        link not in seen
                        and path != "/search/"
                        and not DYNAMIC.match(path)
                    ):
                        seen.add(link)
                        following.append(link)
            level = following
        self.search()
        self.assets()
        self.remove_stale(previous)
        self.write_manifest()
        return self.report

    def build_level(self, urls: list[str], workers: int) -> list:
        # Inside a transaction, other processes could not see its rows.
        if workers <= 1 or len(urls) < 8 * workers or connection.in_atomic_block:
            return [Builder(self.outdir, self.options).build_batch(urls)]
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            # Each process opens its own connection; an in-memory test
            # database is instead inherited as it is.
            connections.close_all()
        chunks = [urls[i::workers] for i in range(workers)]
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            return pool.map(
                _build_chunk, [(self.outdir, self.options, chunk) for chunk in chunks]
            )

    def search(self) -> None:
        entries = [
            {
                "title": post.title,
                "url": self.local(post.get_absolute_url(), "/search/"),
                "summary": post.summary,
                "date": post.published_at.date().isoformat()
                if post.kind == Post.Kind.POST and post.published_at
                else "",
            }
            for post in Post.objects.live()
            .only("kind", "slug", "title", "summary", "published_at", "created_at")
            .order_by("-published_at", "-pk")
        ]
        data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        self.write("search-index.json", data.encode("utf-8"))
        request = self.factory.get("/search/", SERVER_NAME=self.server_name())
        request.user = AnonymousUser()
        request.session = {}
        request.csp_nonce = ""
        html = render_to_string(
            "portability/static_search.html",
            {"index_url": self.local("/search-index.json", "/search/")},
            request=request,
        )
        html, _ = self.rewrite(html, "/search/")
        self.write("search/index.html", html.encode("utf-8"))
        self.report.pages += 1

    def assets(self) -> None:
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
        self.copy_tree(Path(settings.MEDIA_ROOT), settings.MEDIA_URL.strip("/"))

    def read_manifest(self) -> list[str]:
        try:
            return json.loads((self.outdir / MANIFEST).read_text())["files"]
        except (OSError, ValueError, KeyError):
            return []

    def write_manifest(self) -> None:
        (self.outdir / MANIFEST).write_text(
            json.dumps({"files": sorted(self.produced)}, indent=0)
        )

    def remove_stale(self, previous: list[str]) -> None:
        for relative in previous:
            if relative not in self.produced:
                target = self.outdir / relative
                if target.is_file():
                    target.unlink()
                    self.report.removed += 1


def _build_chunk(job: tuple[Path, BuildOptions, list[str]]):
    outdir, options, urls = job
    try:
        return Builder(outdir, options).build_batch(urls)
    finally:
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            connections.close_all()


def _posts_to_server(form: str) -> bool:
    match = re.search(r'\saction="([^"]*)"', form)
    return bool(match and DYNAMIC.match(urlsplit(match.group(1)).path or "/"))


def build_site(
    outdir: Path, options: BuildOptions | None = None, *, workers: int = 1
) -> BuildReport:
    """Build the public site into ``outdir``; see the module docstring."""
    options = options or BuildOptions()
    site_url = (options.base_url or settings.SITE_URL).rstrip("/")
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # Unhashed static names (the files are copied as they are) and the
    # public address in canonical links and feeds.
    with override_settings(STORAGES=storages, SITE_URL=site_url):
        return Builder(outdir, options).run(workers)


def check_links(outdir: Path) -> list[str]:
    """Internal links and assets of built HTML pages that point at no file."""
    broken = []
    for page in sorted(outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page_url = "/" + page.relative_to(outdir).as_posix()
        values = [m.group(2) for m in LINK.finditer(html)]
        for match in SRCSET.finditer(html):
            values.extend(
                item.strip().split(" ")[0] for item in match.group(2).split(",")
            )
        for value in values:
            target = _resolve(value, page_url)
            if target is None:
                continue
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
        path = joined + ("/" if path.endswith("/") else "")
    return path.replace(os.sep, "/")


def clear(outdir: Path) -> None:
    """Remove a previous build entirely (``--clean``)."""
    if outdir.is_dir():
        shutil.rmtree(outdir)
