"""What a static build was made from, so the next one renders only what changed.

A build keeps its record in ``OUTDIR/.afterword-build.sqlite3``, an SQLite
database indexed for the questions the next build asks, so that build reads
only the rows it needs:

* **inputs**: digests of what is not followed row by row: the build options,
  the settings, the code, templates and static files, and a fingerprint of
  each public table (its row count and highest key; for posts and comments,
  of the live posts and approved comments). When one differs, every page is
  rendered again.
* **mark**: the last entry of the change journal (``portability.journal``)
  the build read. The next build reads the entries after it: the public rows
  changed since, however they were changed (admin, desk, API, importer).
* **posts**: per live post, its address, a *shape* digest (status, date,
  author, stickiness, terms, the ids of its approved comments: what places
  it on other pages) and its search entry's digest.
* **pages**: per address, its file, the posts it shows and the addresses it
  links to. The posts are read from the addresses in its output: a listing, a
  feed or the sitemap links to each post it prints, a post page to itself and
  its neighbours. The links let a later build drop pages nothing links to
  any more, as a fresh build would.

When the journal names only posts and comments whose shape is unchanged (a
post edited, a comment's text corrected), the pages to render are those that
show one of them; every other file is kept as it is. Anything else renders
everything: a slow correct build beats a fast stale one. Writes that go
around Django (SQL typed into a database shell) reach no journal: build with
``--clean`` after one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Count, Max

from afterword.core import changes
from afterword.core.codeversion import code_digest
from afterword.media.storage import is_local

from . import journal

MANIFEST = ".afterword-build.sqlite3"
# The record's layout; another one (or the JSON manifest of earlier
# versions, ``LEGACY``) is read only for the files it lists.
FORMAT = "5"
LEGACY = ".afterword-build.json"
# A root-relative or absolute address inside an attribute or an XML element.
ADDRESS = re.compile(r"""["'>](?:https?://[^/"'<>\s]+)?(/[^"'<>\s#?]*)""")
# The changes a build can narrow down to pages; any other model renders all.
POST, COMMENT = "posts.post", "discussion.comment"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE posts (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, shape TEXT NOT NULL, entry TEXT NOT NULL
);
CREATE TABLE addresses (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, file TEXT);
CREATE TABLE shows (
    post TEXT NOT NULL, address INTEGER NOT NULL, PRIMARY KEY (post, address)
) WITHOUT ROWID;
CREATE INDEX shows_by_address ON shows (address);
CREATE TABLE links (
    address INTEGER NOT NULL, target INTEGER NOT NULL, PRIMARY KEY (address, target)
) WITHOUT ROWID;
CREATE TABLE files (name TEXT PRIMARY KEY);
"""


@dataclass
class PostFacts:
    """What the record keeps of one live post."""

    url: str
    shape: str
    entry: str


@dataclass
class Plan:
    """What this build renders, and what it reads the site as."""

    # The journal's last entry when the build began.
    mark: int
    inputs: dict[str, str]
    # The addresses to render again; None for all of them.
    todo: set[str] | None
    # Live posts by address, to tell which posts a page shows.
    paths: dict[str, str]
    # Facts of every live post (a full build) or of the changed ones.
    facts: dict[str, PostFacts]
    # Why everything is rendered (empty when it is not).
    reason: str = ""
    # Whether the search index must be written again.
    search_changed: bool = True

    @property
    def full(self) -> bool:
        return self.todo is None

    def ids_of(self, addresses: list[str]) -> list[str]:
        """The posts among the root paths a page links to."""
        return sorted({self.paths[a] for a in addresses if a in self.paths})

    def post_ids(self, output: str, base_path: str = "") -> list[str]:
        """The posts an output shows: the ids of the post addresses it holds.

        Feeds print absolute addresses under ``--base-url``, whose path
        (``base_path``) may come before the site's own.
        """
        found = set()
        for match in ADDRESS.finditer(output):
            path = match.group(1)
            if base_path and path.startswith(base_path + "/"):
                path = path[len(base_path) :]
            if path in self.paths:
                found.add(self.paths[path])
        return sorted(found)


class Record:
    """The last build's record (see the module docstring), or an empty one."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.path = outdir / MANIFEST
        self.db: sqlite3.Connection | None = None
        self.meta: dict[str, str] = {}
        try:
            # A link in its place is not followed: the record is written to
            # in place, and the build writes only inside its folder.
            if self.path.is_file() and not self.path.is_symlink():
                db = sqlite3.connect(self.path, isolation_level=None)
                self.meta = dict(db.execute("SELECT key, value FROM meta"))
                if self.meta.get("format") == FORMAT:
                    self.db = db
                else:
                    db.close()
        except sqlite3.Error:
            self.meta = {}

    @property
    def usable(self) -> bool:
        return self.db is not None and "mark" in self.meta

    @property
    def mark(self) -> int:
        return int(self.meta["mark"])

    @property
    def inputs(self) -> dict[str, str]:
        return json.loads(self.meta.get("inputs", "{}"))

    def files(self) -> list[str]:
        """Every file the last build wrote, whatever the record's format."""
        if self.db is not None:
            return _files(self.db)
        try:
            data = json.loads((self.outdir / LEGACY).read_text())
        except (OSError, ValueError):
            return []
        listed = data.get("files", []) if isinstance(data, dict) else []
        return [name for name in listed if isinstance(name, str)]

    def facts(self, ids: Iterable[str]) -> dict[str, PostFacts]:
        found = {}
        for chunk in _chunks(sorted(ids), 500):
            marks = ",".join("?" * len(chunk))
            for pk, url, shape, entry in self.db.execute(
                f"SELECT id, url, shape, entry FROM posts WHERE id IN ({marks})", chunk
            ):
                found[pk] = PostFacts(url, shape, entry)
        return found

    def paths(self) -> dict[str, str]:
        return {url: pk for pk, url in self.db.execute("SELECT id, url FROM posts")}

    def pages_showing(self, post_ids: Iterable[str]) -> set[str]:
        found = set()
        for chunk in _chunks(sorted(post_ids), 500):
            marks = ",".join("?" * len(chunk))
            found.update(
                url
                for (url,) in self.db.execute(
                    "SELECT DISTINCT a.url FROM shows s JOIN addresses a"
                    f" ON a.id = s.address WHERE s.post IN ({marks})",
                    chunk,
                )
            )
        return found

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class Writer:
    """Writes this build's record: a new one for a full build, in a file of
    its own until it is complete; the last one, updated in one transaction,
    for an incremental build. Either way a build that stops halfway leaves
    the last complete record behind."""

    def __init__(self, previous: Record, full: bool) -> None:
        self.target = previous.path
        self.full = full
        if full:
            previous.close()
            self.temporary: Path | None = previous.path.with_name(MANIFEST + ".new")
            self.temporary.unlink(missing_ok=True)
            self.db = sqlite3.connect(self.temporary, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.executescript(SCHEMA)
        else:
            self.temporary = None
            self.db = previous.db
            previous.db = None
        self.db.execute("BEGIN")
        # Targets a rendered page no longer links to.
        self.unlinked: set[int] = set()
        self.ids: dict[str, int] = {}

    def address_id(self, url: str) -> int:
        pk = self.ids.get(url)
        if pk is None:
            self.db.execute("INSERT OR IGNORE INTO addresses (url) VALUES (?)", (url,))
            (pk,) = self.db.execute(
                "SELECT id FROM addresses WHERE url = ?", (url,)
            ).fetchone()
            self.ids[url] = pk
        return pk

    def page(self, url: str, file: str, posts: list[str], links: list[str]) -> None:
        """Record a rendered page, in place of what the last build said of it."""
        pk = self.address_id(url)
        self.db.execute("UPDATE addresses SET file = ? WHERE id = ?", (file, pk))
        # A new record has no earlier links to compare with.
        query = "SELECT target FROM links WHERE address = ?"
        before = set() if self.full else {t for (t,) in self.db.execute(query, (pk,))}
        after = {self.address_id(link) for link in links}
        self.unlinked |= before - after
        self.db.execute("DELETE FROM links WHERE address = ?", (pk,))
        self.db.executemany(
            "INSERT INTO links (address, target) VALUES (?, ?)",
            [(pk, target) for target in sorted(after)],
        )
        self.db.execute("DELETE FROM shows WHERE address = ?", (pk,))
        self.db.executemany(
            "INSERT INTO shows (post, address) VALUES (?, ?)",
            [(post, pk) for post in posts],
        )

    def not_a_page(self, url: str) -> list[str]:
        """Record an address that renders nothing (a 404, a redirect); the
        file it had, to remove."""
        pk = self.address_id(url)
        (file,) = self.db.execute(
            "SELECT file FROM addresses WHERE id = ?", (pk,)
        ).fetchone()
        self.forget(pk)
        return [file] if file else []

    def forget(self, pk: int) -> None:
        self.db.execute("DELETE FROM links WHERE address = ?", (pk,))
        self.db.execute("DELETE FROM shows WHERE address = ?", (pk,))
        self.db.execute("UPDATE addresses SET file = NULL WHERE id = ?", (pk,))

    def files(self, names: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO files (name) VALUES (?)", [(n,) for n in names]
        )

    def unreachable(self, seeds: Iterable[str]) -> list[str]:
        """Forget the pages no longer linked from the seeds; their files.

        Asked when a rendered page dropped a link (``unlinked``): an edit can
        remove the last link to a page, and a fresh build would not have it.
        """
        # A table, not a list of parameters: the seeds hold every live post.
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS seeds (url TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM seeds")
        self.db.executemany(
            "INSERT OR IGNORE INTO seeds (url) VALUES (?)", [(url,) for url in seeds]
        )
        dropped = self.db.execute(
            """WITH RECURSIVE seen(id) AS (
                    SELECT id FROM addresses WHERE url IN (SELECT url FROM seeds)
                    UNION
                    SELECT links.target FROM links JOIN seen ON links.address = seen.id
                )
                SELECT id, file FROM addresses
                WHERE file IS NOT NULL AND id NOT IN (SELECT id FROM seen)"""
        ).fetchall()
        for pk, _file in dropped:
            self.forget(pk)
        return [file for _pk, file in dropped]

    def has_address(self, url: str) -> bool:
        """Whether the last build (or this one, so far) has met ``url``."""
        query = "SELECT 1 FROM addresses WHERE url = ?"
        return self.db.execute(query, (url,)).fetchone() is not None

    def all_files(self) -> set[str]:
        """Every file the site has after this build: pages and the rest."""
        return set(_files(self.db))

    def count_pages(self) -> int:
        (pages,) = self.db.execute(
            "SELECT count(*) FROM addresses WHERE file IS NOT NULL"
        ).fetchone()
        return pages

    def count_files(self) -> int:
        """How many files the site has after this build (``all_files``)."""
        (files,) = self.db.execute("SELECT count(*) FROM files").fetchone()
        return self.count_pages() + files

    def finish(self, plan: Plan) -> None:
        """Store the inputs, the mark and the posts' facts; make it the record."""
        self.db.executemany(
            "INSERT OR REPLACE INTO posts (id, url, shape, entry) VALUES (?, ?, ?, ?)",
            [(pk, f.url, f.shape, f.entry) for pk, f in plan.facts.items()],
        )
        meta = {
            "format": FORMAT,
            "mark": str(plan.mark),
            "inputs": json.dumps(plan.inputs, sort_keys=True),
        }
        self.db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items()
        )
        self.db.execute("COMMIT")
        self.db.close()
        if self.temporary is not None:
            self.temporary.replace(self.target)
            (self.target.parent / LEGACY).unlink(missing_ok=True)


def plan(previous: Record, options: object) -> Plan:
    """Read the journal and the site: what this build must render."""
    # The journal first: whatever is written while the build reads the site
    # comes after this mark, and the next build renders it again.
    changed = journal.since(previous.mark) if previous.usable else None
    mark = changed.mark if changed is not None else journal.current_mark()
    now = inputs(options)

    def everything(reason: str) -> Plan:
        facts = post_facts()
        paths = {f.url: pk for pk, f in facts.items()}
        return Plan(mark, now, None, paths, facts, reason)

    if not previous.usable:
        return everything("no earlier build")
    different = sorted(
        k
        for k in now.keys() | previous.inputs.keys()
        if now.get(k) != previous.inputs.get(k)
    )
    if different:
        return everything("changed: " + ", ".join(different))
    if changed is None:
        return everything("the journal is not the one the last build read")
    others = changed.labels() - {POST, COMMENT}
    if others:
        return everything("changed: " + ", ".join(sorted(others)))
    at_most = settings.AFTERWORD_STATIC_NARROWED_AT_MOST
    if len(changed.ids(POST)) + len(changed.ids(COMMENT)) > at_most:
        # An import, say: most pages show one of them anyway.
        return everything(f"more than {at_most:,} posts and comments changed")
    post_ids = set(changed.ids(POST))
    comment_ids = changed.ids(COMMENT)
    if comment_ids:
        from afterword.discussion.models import Comment

        owners = dict(
            Comment.objects.filter(
                pk__in=[int(i) for i in comment_ids if i.isdigit()]
            ).values_list("pk", "post_id")
        )
        if len(owners) < len(comment_ids):
            return everything("a comment was deleted")
        post_ids |= {str(post) for post in owners.values()}
    facts = post_facts(post_ids)
    before = previous.facts(post_ids)
    for pk in post_ids:
        old, new = before.get(pk), facts.get(pk)
        if old is None and new is None:
            continue  # neither built nor live: a private post, say
        if old is None or new is None or (old.url, old.shape) != (new.url, new.shape):
            return everything(f"post {pk} moved between pages")
    todo = previous.pages_showing(facts)
    return Plan(
        mark,
        now,
        todo,
        previous.paths(),
        facts,
        search_changed=any(facts[pk].entry != before[pk].entry for pk in facts),
    )


def inputs(options: object) -> dict[str, str]:
    """One digest per input that is not followed row by row."""
    values = {
        "options": _digest(options),
        "settings": _settings_digest(),
        "code": code_digest(),
        "assets": _assets_digest(),
    }
    values.update(_fingerprints())
    return values


def _fingerprints() -> dict[str, str]:
    """Each public table's row count and highest key.

    The journal says which rows changed; this catches rows written around
    it (a fixture, a bulk write that forgot to report itself). Posts and
    comments count only what shows, so a draft or a held comment does not
    start the site over.
    """
    from afterword.discussion.models import Comment
    from afterword.posts.models import Post

    shown = {
        Post: Post.objects.reachable(),
        Comment: Comment.objects.filter(status=Comment.Status.APPROVED),
    }
    found = {}
    for model in sorted(changes.public_models(), key=lambda m: m._meta.label_lower):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        rows = shown.get(model, model._base_manager.all())
        counted = rows.aggregate(count=Count("pk"), top=Max("pk"))
        found[f"rows:{meta.label_lower}"] = f"{counted['count']}:{counted['top']}"
    return found


def post_facts(ids: Iterable[str] | None = None) -> dict[str, PostFacts]:
    """The facts of every live post, or of those among ``ids``.

    Read a batch of rows at a time; comments and terms are folded into one
    digest per post as they stream past.
    """
    from afterword.discussion.models import Comment
    from afterword.posts.models import Post

    posts = Post.objects.reachable()
    comments = Comment.objects.filter(status=Comment.Status.APPROVED)
    wanted = None
    if ids is not None:
        wanted = [int(pk) for pk in ids if str(pk).isdigit()]
        if not wanted:
            return {}
        posts = posts.filter(pk__in=wanted)
        comments = comments.filter(post_id__in=wanted)
    # What places a post on other pages besides its own row: its approved
    # comments (the comment feeds, the counts on cards) and its terms.
    placed: dict[int, hashlib._Hash] = {}

    def fold(pairs: Iterator[tuple[int, int]], kind: str) -> None:
        for post_id, other in pairs:
            digest = placed.get(post_id)
            if digest is None:
                digest = placed[post_id] = hashlib.sha256()
            digest.update(f"{kind}{other},".encode())

    fold(_pairs(comments, "post_id", "pk"), "c")
    for many in Post._meta.many_to_many:
        through = many.remote_field.through
        source = many.m2m_column_name()
        target = many.m2m_reverse_name()
        rows = through.objects.all()
        if wanted is not None:
            rows = rows.filter(**{f"{source}__in": wanted})
        fold(_pairs(rows, source, target), many.name[0])

    facts = {}
    for post in (
        posts.only(
            "kind",
            "slug",
            "published_at",
            "created_at",
            "status",
            "visibility",
            "sticky",
            "author_id",
            "title",
            "summary",
        )
        .order_by("pk")
        .iterator(chunk_size=2_000)
    ):
        url = post.get_absolute_url()
        terms = placed.get(post.pk)
        shape = _digest(
            [
                url,
                post.status,
                # Unlisted or listed: which listings show the post.
                post.visibility,
                str(post.published_at),
                post.sticky,
                post.author_id,
                terms.hexdigest() if terms else "",
            ]
        )
        entry = _digest(
            [post.is_listed, post.title, post.summary, str(post.published_at)]
        )
        facts[str(post.pk)] = PostFacts(url, shape, entry)
    return facts


def _pairs(rows, first: str, second: str) -> Iterator[tuple[int, int]]:
    # In key order: each post's digest folds its rows in the same order.
    return rows.order_by("pk").values_list(first, second).iterator(chunk_size=10_000)


def _files(db: sqlite3.Connection) -> list[str]:
    """The files a record names: its pages', then the others."""
    pages = db.execute("SELECT file FROM addresses WHERE file IS NOT NULL")
    names = db.execute("SELECT name FROM files")
    return [name for (name,) in [*pages, *names]]


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _assets_digest() -> str:
    """Names, sizes and times of the static files the build copies.

    Afterword's own are in ``code_digest``; this covers the other apps'
    (an upgraded Django brings new admin styles).
    """
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(
            finder.list(["CVS", ".*", "*~"]), key=lambda item: item[0]
        ):
            if not is_local(storage):
                continue
            try:
                found = os.stat(storage.path(path))
            except OSError:
                continue
            digest.update(f"{path}:{found.st_size}:{found.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _settings_digest() -> str:
    values = []
    for name in sorted(dir(settings)):
        # The build's own cache has a new name every run; it renders nothing.
        if not name.isupper() or name == "CACHES":
            continue
        text = repr(_stable(getattr(settings, name)))
        # An object's default repr holds its address: different every run.
        values.append((name, re.sub(r" at 0x[0-9a-f]+", "", text)))
    return _digest(values)


def _stable(value: object) -> object:
    """``value`` with its sets sorted: a set's order changes from run to run."""
    if isinstance(value, set | frozenset):
        return sorted((_stable(item) for item in value), key=repr)
    if isinstance(value, dict):
        return [(_stable(k), _stable(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_stable(item) for item in value]
    return value
