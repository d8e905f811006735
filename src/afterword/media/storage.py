"""Media through Django's storage API, on a disk or in a bucket.

``DiskStorage`` keeps them under ``MEDIA_ROOT``; ``walk`` is what backups
and the static build read, ``is_local`` tells the two apart. The bucket's
storage class is in ``bucket.py``, imported only on a site that names a
bucket (boto3 costs a fifth of a second to import). Both storages' addresses
honour the script prefix (``core.staticcopy.UnderScriptPrefix``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.files.storage import FileSystemStorage, Storage

from afterword.core.staticcopy import UnderScriptPrefix


class DiskStorage(UnderScriptPrefix, FileSystemStorage):
    """Uploads under ``MEDIA_ROOT``: the default storage (``settings``)."""


def is_local(storage: Storage) -> bool:
    """Whether the storage's files are on this machine's disk."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder``, sorted, folders first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        # A media folder on disk that nothing was uploaded to yet.
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(folders):
        yield from walk(storage, prefix + name)
    for name in sorted(files):
        yield prefix + name
