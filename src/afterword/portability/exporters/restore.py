"""``afterword restore``: a backup goes in whole, or not at all.

A restore that stopped halfway (a damaged archive, a row the database
refuses, a full disk, Ctrl+C) used to leave the rows in and half the media,
and a site that is no longer empty cannot be restored again. So:

1. **Check everything first.** The site must be empty; the archive must be a
   zip whose every member passes its checksum, with a manifest this version
   reads, a ``data.json`` that parses and holds as many rows of each model
   as the manifest says, media names that stay inside the media folder and
   do not replace a different file already there, and room for the media on
   the disk. Any problem is reported before anything changes.
2. **Unpack the media** into a staging folder inside the media folder (the
   same disk, so putting a file in place is a rename).
3. **One transaction**: load the rows, then move each staged file into place
   without overwriting anything. If anything fails, or on Ctrl+C, the files
   placed so far (and the folders made for them) are removed and the
   transaction is rolled back; if the commit itself fails, the files go too.
4. After the commit, rebuild what the archive leaves out: the search index
   and the queue of scheduled posts.

The staging folder is removed in every case. Only a ``SIGKILL`` in the
middle of step 3 can leave files behind (the rows are rolled back by the
database); a new restore of the same archive then accepts those identical
files as they are.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath

from django.contrib.auth.models import Group
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import transaction

from afterword.accounts.roles import sync_role_groups
from afterword.portability import journal

from .backup import (
    STAGING_PREFIX,
    BackupError,
    BackupSummary,
    read_manifest,
    site_is_empty,
)

# What reading a damaged member raises: a bad checksum, a cut-short or
# garbled deflate stream.
UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError)
# Free space kept on top of the media's own size (file system overhead).
SPACE_MARGIN = 16 * 1024 * 1024


def restore_backup(source: Path) -> BackupSummary:
    """Load an archive into an empty site, all or nothing (module docstring)."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    empty, holding = site_is_empty()
    if not empty:
        raise BackupError(
            f"This site is not empty (it has {holding}). Restore only into a new"
            " site: a fresh AFTERWORD_DATA_DIR or database, migrated and unused."
        )
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{source} is not a zip archive ({error}).") from None
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        check_members(archive)
        data = Path(work) / "data.json"
        rows = check_rows(archive, manifest, data)
        media = [
            info
            for info in archive.infolist()
            if info.filename.startswith("media/") and not info.is_dir()
        ]
        placer = MediaPlacer.for_storage(default_storage)
        wanted = placer.check(archive, media)
        with placer:
            placer.stage(archive, wanted)
            load_and_place(data, placer)
    _after_restore()
    return BackupSummary(rows=rows, files=len(media))


def check_members(archive: zipfile.ZipFile) -> None:
    """Every member must read back with its checksum (a damaged archive fails)."""
    try:
        damaged = archive.testzip()
    except UNREADABLE as error:
        raise BackupError(
            f"The archive is damaged ({error}); nothing was changed."
        ) from None
    if damaged is not None:
        raise BackupError(
            f"The archive is damaged: {damaged} does not match its checksum;"
            " nothing was changed."
        )


def check_rows(archive: zipfile.ZipFile, manifest: dict, target: Path) -> int:
    """Unpack ``data.json`` to ``target`` and check it; the number of rows."""
    try:
        with archive.open("data.json") as packed, target.open("wb") as out:
            shutil.copyfileobj(packed, out)
    except KeyError:
        raise BackupError("The archive has no data.json.") from None
    except UNREADABLE as error:
        raise BackupError(
            f"The archive's data.json is damaged ({error}); nothing was changed."
        ) from None
    try:
        with target.open(encoding="utf-8") as handle:
            rows = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(
            f"The archive's data.json is not complete JSON ({error}): the archive"
            " was cut short or damaged; nothing was changed."
        ) from None
    if not isinstance(rows, list) or not all(
        isinstance(row, dict) and isinstance(row.get("model"), str) for row in rows
    ):
        raise BackupError("The archive's data.json is not a list of rows.")
    expected = manifest.get("counts")
    if isinstance(expected, dict):
        found = Counter(row["model"] for row in rows)
        wrong = sorted(
            f"{model} ({found.get(model, 0)} of {count})"
            for model, count in expected.items()
            if found.get(model, 0) != count
        )
        if wrong:
            raise BackupError(
                "The archive's data.json does not hold the rows its manifest"
                f" lists: {', '.join(wrong[:5])}; nothing was changed."
            )
    return len(rows)


def load_and_place(data: Path, placer: MediaPlacer) -> None:
    """Load the rows and place the media in one transaction, or neither."""
    try:
        with transaction.atomic():
            try:
                # An empty site already holds the role groups ``migrate``
                # made; the archive brings its own (with their members), and
                # the roles are rebuilt on top in case it predates one.
                Group.objects.all().delete()
                call_command("loaddata", str(data), verbosity=0)
                # Fixtures load without the signals the journal reads.
                journal.note_everything()
                sync_role_groups()
            except Exception as error:
                raise BackupError(
                    f"The archive's rows could not be loaded ({error});"
                    " nothing was changed."
                ) from error
            try:
                placer.place()
            except OSError as error:
                raise BackupError(
                    f"Could not put the media in place ({error}); nothing was changed."
                ) from error
    except BaseException:
        # Whatever stopped it (a row, a file, the commit, Ctrl+C): no file stays.
        placer.undo()
        raise


class MediaPlacer:
    """Puts an archive's media files into storage so they can be taken back.

    The base class works through Django's storage API (object storage); a
    local media folder uses ``LocalMediaPlacer``.
    """

    def __init__(self, storage) -> None:
        self.storage = storage
        self.staging: Path | None = None
        # Staged files by storage name, and what ``place`` put in so far.
        self.staged: dict[str, Path] = {}
        self.placed: list[str] = []

    @staticmethod
    def for_storage(storage) -> MediaPlacer:
        if isinstance(storage, FileSystemStorage):
            return LocalMediaPlacer(storage)
        return MediaPlacer(storage)

    def __enter__(self) -> MediaPlacer:
        self.staging = Path(
            tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.staging_parent())
        )
        return self

    def __exit__(self, *exc) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def staging_parent(self) -> str | None:
        return None

    def check(
        self, archive: zipfile.ZipFile, media: list[zipfile.ZipInfo]
    ) -> list[tuple[str, zipfile.ZipInfo]]:
        """The (name, member) pairs to restore; refuse unsafe names and clashes.

        A file already there with the same bytes is left as it is (and not
        restored again); one with other bytes is never replaced.
        """
        wanted, clashes = [], []
        for info in media:
            path = PurePosixPath(info.filename)
            name = info.filename.removeprefix("media/")
            if path.is_absolute() or ".." in path.parts or "\\" in name or not name:
                raise BackupError(f"Unsafe file name in the archive: {info.filename}")
            if self.storage.exists(name):
                if self.same_bytes(name, archive, info):
                    continue
                clashes.append(name)
            wanted.append((name, info))
        if clashes:
            raise BackupError(
                "The media folder already holds different files under names the"
                f" archive uses ({', '.join(sorted(clashes)[:5])}); move them away"
                " or restore into an empty media folder. Nothing was changed."
            )
        self.check_space(sum(info.file_size for _, info in wanted))
        return wanted

    def same_bytes(self, name: str, archive, info) -> bool:
        try:
            with self.storage.open(name) as existing, archive.open(info) as packed:
                return existing.read() == packed.read()
        except OSError:
            return False

    def check_space(self, needed: int) -> None:
        """Local staging needs room for the media (a bucket has no such limit)."""
        free = shutil.disk_usage(self.staging_parent() or tempfile.gettempdir()).free
        if needed + SPACE_MARGIN > free:
            raise BackupError(
                f"Not enough disk space for the media: {needed // 2**20} MiB needed,"
                f" {free // 2**20} MiB free. Nothing was changed."
            )

    def stage(self, archive: zipfile.ZipFile, wanted) -> None:
        for name, info in wanted:
            target = self.staging.joinpath(*PurePosixPath(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as packed, target.open("wb") as out:
                    shutil.copyfileobj(packed, out)
            except UNREADABLE as error:
                raise BackupError(
                    f"Could not unpack {info.filename} ({error}); nothing was changed."
                ) from None
            self.staged[name] = target

    def place(self) -> None:
        for name, staged in self.staged.items():
            with staged.open("rb") as handle:
                saved = self.storage.save(name, File(handle, name=name))
            self.placed.append(saved)
            if saved != name:
                raise BackupError(
                    f"{name} appeared in the media storage during the restore;"
                    " nothing was changed."
                )

    def undo(self) -> None:
        for name in reversed(self.placed):
            self.storage.delete(name)
        self.placed.clear()


class LocalMediaPlacer(MediaPlacer):
    """A media folder on this machine: staged beside it, moved in by rename."""

    def __init__(self, storage: FileSystemStorage) -> None:
        super().__init__(storage)
        self.root = Path(storage.location)
        self.made_folders: list[Path] = []

    def staging_parent(self) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        return str(self.root)

    def place(self) -> None:
        for name, staged in self.staged.items():
            target = self.root.joinpath(*PurePosixPath(name).parts)
            self.make_folders(target.parent)
            # A hard link never replaces an existing file (a rename would).
            os.link(staged, target)
            self.placed.append(name)
            staged.unlink()

    def make_folders(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.made_folders.append(path)

    def undo(self) -> None:
        for name in reversed(self.placed):
            self.root.joinpath(*PurePosixPath(name).parts).unlink(missing_ok=True)
        self.placed.clear()
        for folder in reversed(self.made_folders):
            # A folder something else has put a file in since stays.
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.made_folders.clear()


def _after_restore() -> None:
    """Rebuild what the archive leaves out: the search index, the task queue."""
    from afterword.posts.models import Post
    from afterword.posts.services import schedule_firing

    call_command("rebuild_search_index", verbosity=0)
    due = Post.objects.filter(status=Post.Status.SCHEDULED).values_list(
        "published_at", flat=True
    )
    for when in due:
        if when:
            schedule_firing(when)
