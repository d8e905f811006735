"""What a static build was made from, so the next one renders only what changed.

A build stores, in ``OUTDIR/.afterword-build.json``, three kinds of facts:

* **inputs**: digests of everything that is not a post or a comment: every
  other table (tags, categories, users, series, catalog, media, the post/term
  links ...), the build options, the settings, and the code and templates
  that render the site. When it differs, every page is rendered again.
* **posts**: per live post, a *shape* digest (address, status, date, author,
  stickiness, the ids of its visible comments) and a *content* digest (the
  whole row and all its comments). A shape change moves posts between pages
  (pagination, archives, neighbours), so it too means rendering everything.
* **pages**: per address, its file, the posts it shows and the pages it
  links to. The posts are read from the addresses in its output: a listing, a
  feed or the sitemap links to each post it prints, a post page to itself and
  its neighbours. The links let a later build drop pages nothing links to
  any more, as a fresh build would.

When only contents changed (a post edited, a comment added), the pages to
render are those that show one of the changed posts; every other file is
kept as it is. Anything this module cannot vouch for renders everything: a
slow correct build beats a fast stale one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from afterword.core.codeversion import code_digest

MANIFEST = ".afterword-build.json"
FORMAT = 4
# Tables that never show on a public page, or change with every edit
# without changing any page: old revisions, queued tasks, sessions, logs,
# import bookkeeping. Posts and comments are tracked one by one instead.
UNSHOWN = {
    "posts.revision",
    "posts.post",
    "discussion.comment",
    "sessions.session",
    "admin.logentry",
    "contenttypes.contenttype",
    "auth.permission",
    "django_tasks_database.dbtaskresult",
    "portability.importrecord",
    "search.searchdocument",
    "outbox.outgoingemail",
    "subscriptions.fanout",
    "subscriptions.digestrun",
    "discussion.commentsubscription",
    "account.emailconfirmation",
    "socialaccount.socialtoken",
}
# A root-relative or absolute address inside an attribute or an XML element.
ADDRESS = re.compile(r"""["'>](?:https?://[^/"'<>\s]+)?(/[^"'<>\s#?]*)""")


@dataclass
class Snapshot:
    """The state of the database and code a build renders from."""

    inputs: dict[str, str]
    shapes: dict[str, str]
    contents: dict[str, str]
    paths: dict[str, str] = field(default_factory=dict)

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


@dataclass
class Previous:
    """What the last build recorded, or nothing usable."""

    inputs: dict[str, str] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)
    pages: dict[str, dict] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def pages_to_render(self, now: Snapshot) -> set[str] | None:
        """The addresses to render again, or ``None`` for all of them."""
        if not self.pages or self.inputs != now.inputs or self.shapes != now.shapes:
            return None
        changed = {
            pk for pk, digest in now.contents.items() if self.contents.get(pk) != digest
        }
        return {url for url, page in self.pages.items() if changed & set(page["posts"])}


def read_manifest(outdir: Path) -> Previous:
    try:
        data = json.loads((outdir / MANIFEST).read_text())
    except (OSError, ValueError):
        return Previous()
    if not isinstance(data, dict):
        return Previous()
    files = [name for name in data.get("files", []) if isinstance(name, str)]
    if data.get("format") != FORMAT:
        return Previous(files=files)
    return Previous(
        inputs=data["inputs"],
        shapes=data["shapes"],
        contents=data["contents"],
        pages=data["pages"],
        files=files,
    )


def write_manifest(
    outdir: Path, now: Snapshot, pages: dict[str, dict], files: Iterable[str]
) -> None:
    data = {
        "format": FORMAT,
        "inputs": now.inputs,
        "shapes": now.shapes,
        "contents": now.contents,
        "pages": pages,
        "files": sorted(files),
    }
    temporary = outdir / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True))
    temporary.replace(outdir / MANIFEST)


def snapshot(options: object) -> Snapshot:
    """Digest the database, settings and code as they are now."""
    from afterword.discussion.models import Comment
    from afterword.posts.models import Post

    # One digest per part, so a manifest shows what made a build start over.
    inputs = {
        "options": _digest(options),
        "settings": _settings_digest(),
        "code": code_digest(),
    }
    for model in sorted(
        apps.get_models(include_auto_created=True), key=lambda m: m._meta.label_lower
    ):
        meta = model._meta
        if meta.label_lower in UNSHOWN or meta.proxy or not meta.managed:
            continue
        inputs[meta.label_lower] = _table_digest(meta.db_table, meta.pk.column)

    # Private posts have no page in a build (``reachable_condition``); only
    # what the address is made of is loaded, a row at a time.
    live = {
        post.pk: post.get_absolute_url()
        for post in Post.objects.reachable()
        .only("kind", "slug", "published_at", "created_at")
        .iterator(chunk_size=2_000)
    }
    comments: dict[int, hashlib._Hash] = {}
    shown: dict[int, list[int]] = {}
    approved = Comment.Status.APPROVED
    columns, rows = _columns_and_rows(Comment._meta.db_table, "id")
    post_at, id_at, status_at = (
        columns.index("post_id"),
        columns.index("id"),
        columns.index("status"),
    )
    for row in rows:
        post_id = row[post_at]
        digest = comments.get(post_id)
        if digest is None:
            digest = comments[post_id] = hashlib.sha256()
        digest.update(repr(row).encode())
        if row[status_at] == approved:
            shown.setdefault(post_id, []).append(row[id_at])

    shapes, contents, paths = {}, {}, {}
    columns, rows = _columns_and_rows(Post._meta.db_table, "id")
    at = {name: columns.index(name) for name in columns}
    for row in rows:
        pk = row[at["id"]]
        url = live.get(pk)
        if url is None:
            continue
        key = str(pk)
        paths[url] = key
        shapes[key] = _digest(
            [
                url,
                row[at["status"]],
                # Unlisted or listed: which listings show the post.
                row[at["visibility"]],
                str(row[at["published_at"]]),
                row[at["sticky"]],
                row[at["author_id"]],
                shown.get(pk, []),
            ]
        )
        content = hashlib.sha256(repr(row).encode())
        if pk in comments:
            content.update(comments[pk].digest())
        contents[key] = content.hexdigest()
    return Snapshot(inputs, shapes, contents, paths)


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _columns_and_rows(table: str, order: str):
    """A table's column names, and its rows in a stable order, a batch at a
    time (never the whole table in memory)."""
    quote = connection.ops.quote_name
    # A server-side cursor on PostgreSQL (whose plain cursor would fetch the
    # whole result first), a plain one on SQLite.
    cursor = connection.chunked_cursor()
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(order)}")
    columns = [column[0] for column in cursor.description]

    def rows():
        with cursor:
            while batch := cursor.fetchmany(2_000):
                yield from batch

    return columns, rows()


def _table_digest(table: str, order: str) -> str:
    digest = hashlib.sha256()
    for row in _columns_and_rows(table, order)[1]:
        digest.update(repr(row).encode())
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
