"""Complete, versioned backups: ``afterword export`` (restoring: ``restore``).

An archive is one zip file::

    manifest.json   {"format_version", "app_version", "created_at",
                     "migrations": {app: latest migration}, "counts": {...}}
    data.json       every row of the site's apps, in Django's JSON fixture
                    format, with times kept to the microsecond
    media/...       every file in the media storage, MEDIA_ROOT or the bucket
                    (originals and renditions)

The rows are written with Django's serializers, models in dependency order
(content types by natural key, so the archive does not depend on the ids a
database gave them), and read back by ``loaddata`` (see ``restore``, which
checks the whole archive first and loads it all or nothing). What is left
out on purpose: sessions (everyone logs in again), the task queue (scheduled
posts are queued again on restore) and the search index (rebuilt).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, time
from importlib.metadata import PackageNotFoundError, version
from itertools import chain
from pathlib import Path
from typing import TextIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from afterword.media import storage as media_storage

FORMAT_VERSION = 1
# Folders a restore unpacks media into, inside the media folder while it
# runs: never part of a backup.
STAGING_PREFIX = ".restore-"
# Bytes copied at a time from the media storage into the archive.
CHUNK = 2**20
# Rows that are rebuilt, transient or recreated by migrations: never archived.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database",
    "search.searchdocument",
    # Numbered for this database's static builds; a restore starts anew.
    "portability.journalentry",
)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass
class BackupSummary:
    rows: int
    files: int


def app_version() -> str:
    try:
        return version("afterword")
    except PackageNotFoundError:
        return "unknown"


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it rounds to ms)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def archived_models() -> list:
    """Every model whose rows a backup holds, parents before children."""
    chosen = []
    for config in apps.get_app_configs():
        models = [
            model
            for model in config.get_models()
            if not model._meta.proxy
            and config.label not in EXCLUDED
            and model._meta.label_lower not in EXCLUDED
        ]
        if models:
            chosen.append((config, models))
    return serializers.sort_dependencies(chosen, allow_cycles=True)


def dump_rows(out: TextIO) -> None:
    """Write every archived row to ``out`` as one JSON fixture, streaming."""
    rows = chain.from_iterable(
        model._default_manager.order_by("pk").iterator(chunk_size=500)
        for model in archived_models()
    )
    serializers.serialize(
        "json",
        rows,
        stream=out,
        cls=ExactEncoder,
        use_natural_foreign_keys=True,
        indent=None,
    )


def _migrations() -> dict[str, str]:
    applied = MigrationLoader(connection).applied_migrations
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def export_backup(target: Path) -> BackupSummary:
    """Write the whole site to the zip file ``target`` (replaced when complete)."""
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.json"
        with data.open("w", encoding="utf-8") as out:
            dump_rows(out)
        counts = {
            model._meta.label_lower: model._default_manager.count()
            for model in archived_models()
        }
        manifest = {
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": timezone.now().isoformat(),
            "migrations": _migrations(),
            "counts": counts,
        }
        files = 0
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
            archive.write(data, "data.json")
            for name in media_storage.walk(default_storage):
                if name.startswith(STAGING_PREFIX):
                    continue
                with (
                    default_storage.open(name, "rb") as source,
                    archive.open(f"media/{name}", "w", force_zip64=True) as packed,
                ):
                    shutil.copyfileobj(source, packed, CHUNK)
                files += 1
    partial.replace(target)
    return BackupSummary(rows=sum(counts.values()), files=files)


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError(
            "The archive has no readable manifest.json: it is not an Afterword backup."
        ) from None
    found = manifest.get("format_version")
    if found != FORMAT_VERSION:
        raise BackupError(
            f"The archive has backup format {found!r}; this Afterword reads format"
            f" {FORMAT_VERSION}. Restore it with the version that made it"
            f" ({manifest.get('app_version', 'unknown')}) or a newer one."
        )
    graph = MigrationLoader(connection).graph
    unknown = [
        f"{app}.{name}"
        for app, name in manifest.get("migrations", {}).items()
        if (app, name) not in graph.nodes
    ]
    if unknown:
        raise BackupError(
            "The archive was made by a newer Afterword (it knows migrations this"
            f" one lacks: {', '.join(unknown[:5])}). Upgrade, then restore."
        )
    return manifest


def site_is_empty() -> tuple[bool, str]:
    from afterword.posts.models import Post

    users = get_user_model().objects.count()
    posts = Post.objects.count()
    if users or posts:
        return False, f"{users} users and {posts} posts"
    return True, ""
