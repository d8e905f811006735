"""Cached pages as plain files, for nginx to serve without reaching Python.

With ``AFTERWORD_PAGE_CACHE_DIR`` set, each cacheable HTML page is written as
``<dir>/<bucket>/<host>/<path>/index.html`` plus a gzip copy
(``index.html.gz``, for nginx's ``gzip_static``). nginx answers a cookie-less
``GET`` with ``try_files /$afterword_bucket/$host${uri}index.html @app``
(docs/deploy.md).

The *bucket* is the current time in seconds since the epoch divided by 1000,
i.e. its first seven digits, which nginx computes from ``$msec`` with a
``map``. It is how files respect scheduled posts although nginx cannot tell
time: a file is only written into a bucket that ends before the next
scheduled post goes live. When the bucket ends, nginx looks in the next one,
finds nothing, and asks the app, which serves the current page and writes it
there. So a post scheduled for 10:00 shows at 10:00 whether or not the task
worker runs, and between schedules nginx serves every page itself.

Files are written to a temporary name and renamed into place, so nginx never
reads half a page. Invalidation renames every bucket folder into a
``.trash-*`` folder (never matched by ``try_files``) and then deletes it.

The folder is emptied on every change, so the app first makes sure it is its
own: it writes a marker file (``MARKER``) into a folder that is missing,
empty, or holds nothing but bucket and ``.trash-*`` folders (a page folder
from before the marker existed), and uses no folder without that marker.
Pointed by mistake at a folder holding anything else (the data folder, with
the database and uploads), it logs an error, writes no page files and
deletes nothing; ``afterword serve`` says so when it starts. Even in its own
folder it only ever moves or deletes bucket folders (seven digits) and
``.trash-*`` folders, never a symbolic link.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import BaseCache

from .version import ContentState, read_state

logger = logging.getLogger(__name__)

BUCKET_SECONDS = 1000
# A bucket's name: the epoch in thousands of seconds has seven digits from
# April 1970 to the year 2286.
BUCKET_NAME = re.compile(r"[0-9]{7}")
TRASH_PREFIX = ".trash-"
MARKER = ".afterword-page-files"
MARKER_TEXT = (
    "This folder holds Afterword's page files (AFTERWORD_PAGE_CACHE_DIR).\n"
    "Afterword deletes its bucket folders on every change: keep nothing else"
    " here.\n"
)
# Folders whose problem this process has told: one line each, not per request.
_reported: set[str] = set()


def bucket_of(now: float) -> int:
    return int(now) // BUCKET_SECONDS


def may_write(state: ContentState, now: float) -> bool:
    """Whether a page rendered under ``state`` may be a file in ``now``'s bucket.

    Only if no scheduled post goes live before the bucket ends: nginx would
    keep serving the file past that moment.
    """
    bucket_end = (bucket_of(now) + 1) * BUCKET_SECONDS
    return state.next_change is None or state.next_change >= bucket_end


def page_dir() -> Path | None:
    """The configured folder for page files (not yet checked: see ``own_dir``)."""
    configured = getattr(settings, "AFTERWORD_PAGE_CACHE_DIR", "")
    return Path(configured) if configured else None


def _is_ours(entry: os.DirEntry) -> bool:
    """Whether an entry of the page folder is something this module wrote."""
    if not entry.is_dir(follow_symlinks=False):
        return False
    return bool(BUCKET_NAME.fullmatch(entry.name)) or entry.name.startswith(
        TRASH_PREFIX
    )


def folder_problem(root: Path) -> str | None:
    """Why the page files may not live in ``root``, or None if they may.

    Only looks: a missing or empty folder, or one holding nothing but bucket
    and trash folders, is fine and gets its marker on first use.
    """
    if (root / MARKER).is_file():
        return None
    if not root.exists():
        return None
    if not root.is_dir():
        return f"AFTERWORD_PAGE_CACHE_DIR={root} is not a folder; page files are off."
    with os.scandir(root) as entries:
        strangers = sorted(entry.name for entry in entries if not _is_ours(entry))
    if not strangers:
        return None
    shown = ", ".join(strangers[:5]) + (", ..." if len(strangers) > 5 else "")
    return (
        f"AFTERWORD_PAGE_CACHE_DIR={root} holds files the page cache did not"
        f" write ({shown}) and no {MARKER} marker, so page files are off and"
        " nothing there is deleted. Point it at a folder of its own (missing or"
        " empty); the app marks it on first use."
    )


def check_folder() -> str | None:
    """The problem with the configured page folder, for ``afterword serve`` to
    print at start (this process then does not log it again), or None."""
    root = page_dir()
    problem = folder_problem(root) if root is not None else None
    if problem is not None:
        _reported.add(str(root))
    return problem


def own_dir(*, create: bool) -> Path | None:
    """The page folder if it is the page cache's own, else None.

    A marked folder costs one ``stat``. An unmarked one is checked
    (``folder_problem``) and marked when it may be used; ``create`` makes a
    missing folder (writing pages does, clearing them does not).
    """
    root = page_dir()
    if root is None:
        return None
    marker = root / MARKER
    if marker.is_file():
        return root
    problem = folder_problem(root)
    if problem is not None:
        if str(root) not in _reported:
            _reported.add(str(root))
            logger.error(problem)
        return None
    if not root.exists() and not create:
        return None
    root.mkdir(parents=True, exist_ok=True)
    # Several processes may get here at once: they write the same bytes.
    marker.write_text(MARKER_TEXT)
    return root


def page_path(root: Path, bucket: int, host: str, path: str) -> Path | None:
    """Where the page for ``host`` + ``path`` lives, or None if it can't be a file.

    Only paths ending in ``/`` map to ``index.html``; anything with a dot
    segment, an empty segment or a NUL is refused rather than normalised, so
    a file can never land outside its host folder.
    """
    host = host.split(":", 1)[0].lower()
    if not host or host.startswith(".") or "/" in host or "\\" in host:
        return None
    if not path.startswith("/") or not path.endswith("/") or "\x00" in path:
        return None
    segments = path[1:-1].split("/") if path != "/" else []
    if any(not s or s.startswith(".") or "\\" in s for s in segments):
        return None
    return root.joinpath(str(bucket), host, *segments, "index.html")


def _write_atomically(target: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # nginx runs as another user: the page is public anyway.
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_page(
    host: str,
    path: str,
    body: bytes,
    state: ContentState,
    cache: BaseCache,
    now: float,
    *,
    only_if_missing: bool = False,
) -> Path | None:
    """Write a page rendered under ``state``; return its path if it stays.

    After the rename the state is read again: if the version changed
    meanwhile, the invalidation may have swept the tree before this file
    arrived, so the file is removed here instead.
    """
    if not may_write(state, now):
        return None
    root = own_dir(create=True)
    if root is None:
        return None
    bucket = bucket_of(now)
    target = page_path(root, bucket, host, path)
    if target is None:
        return None
    if only_if_missing and target.exists():
        return target
    bucket_dir = root / str(bucket)
    first_in_bucket = not bucket_dir.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(
            target.with_name("index.html.gz"), gzip.compress(body, 6, mtime=0)
        )
        _write_atomically(target, body)
    except FileNotFoundError:
        # The folder was moved away by an invalidation while we wrote.
        return None
    current = read_state(cache)
    if (
        current is None
        or current.version != state.version
        or not may_write(current, now)
    ):
        target.unlink(missing_ok=True)
        target.with_name("index.html.gz").unlink(missing_ok=True)
        return None
    if first_in_bucket:
        clear_pages(keep=bucket_dir.name)
    return target


def clear_pages(keep: str | None = None) -> None:
    """Remove page files: move bucket folders away, then delete them.

    ``keep`` names a bucket to leave in place (the current one, when only
    earlier buckets are being swept). Anything in the folder that is not a
    bucket or a trash folder is left alone.
    """
    root = own_dir(create=False)
    if root is None:
        return
    trash = root / f"{TRASH_PREFIX}{secrets.token_hex(6)}"
    trash.mkdir()
    with os.scandir(root) as entries:
        buckets = [
            entry.name
            for entry in entries
            if entry.is_dir(follow_symlinks=False)
            and BUCKET_NAME.fullmatch(entry.name)
            and entry.name != keep
        ]
    for name in buckets:
        try:
            (root / name).rename(trash / name)
        except FileNotFoundError:
            continue
    # Other leftovers (an earlier removal that was interrupted) go too.
    with os.scandir(root) as entries:
        leftovers = [
            entry.name
            for entry in entries
            if entry.name.startswith(TRASH_PREFIX)
            and entry.is_dir(follow_symlinks=False)
        ]
    for name in leftovers:
        shutil.rmtree(root / name, ignore_errors=True)
