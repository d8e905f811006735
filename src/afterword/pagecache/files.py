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
"""

from __future__ import annotations

import gzip
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import BaseCache

from .state import ContentState

BUCKET_SECONDS = 1000


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
    configured = getattr(settings, "AFTERWORD_PAGE_CACHE_DIR", "")
    return Path(configured) if configured else None


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
    from .state import read_state

    root = page_dir()
    if root is None or not may_write(state, now):
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
    earlier buckets are being swept).
    """
    root = page_dir()
    if root is None or not root.is_dir():
        return
    trash = root / f".trash-{secrets.token_hex(6)}"
    trash.mkdir()
    for child in root.iterdir():
        if child.name.startswith(".trash-") or child.name == keep:
            continue
        try:
            child.rename(trash / child.name)
        except FileNotFoundError:
            continue
    # Other leftovers (an earlier removal that was interrupted) go too.
    for child in root.iterdir():
        if child.name.startswith(".trash-"):
            shutil.rmtree(child, ignore_errors=True)
