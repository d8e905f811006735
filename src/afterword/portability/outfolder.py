"""The static build's output folder: nothing is written or deleted outside it.

The paths a build writes come from addresses found in pages (a writer's or
a commenter's link among them), and the paths it deletes come from the last
build's manifest, a file anyone with access to the folder can edit or leave
behind from another folder. So every one of them is checked here before the
build touches it:

* it must be relative, without ``..`` parts, backslashes or NUL bytes;
* the folder that would hold it, once symbolic links are followed, must be
  the output folder or inside it (a link from the output folder to the
  media folder or ``/etc`` is not followed);
* a file is opened without following a symbolic link in its own name
  (``write_file``): an old link is replaced, never written through.

``--clean`` deletes the folder only when a build made it (it holds the
build's manifest) or it is empty.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path


class OutputFolderError(Exception):
    """The output folder cannot be used as asked; the message says why."""


class OutputFolder:
    """Maps a build's relative paths into one folder, refusing any way out."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.real_root = os.path.realpath(root)
        # Folders already found inside: checked once each, not per file.
        self.checked: set[str] = set()

    def path_for(self, relative: str) -> str | None:
        """The path of ``relative`` in the folder, or None if it would leave it."""
        if (
            not relative
            or relative.startswith("/")
            or "\\" in relative
            or "\x00" in relative
            or ".." in relative.split("/")
        ):
            return None
        target = os.path.join(self.root, relative)
        folder = os.path.dirname(target)
        if folder not in self.checked and not self._inside(folder):
            return None
        return target

    def _inside(self, folder: str) -> bool:
        # Inside when its parent is and it is not a link itself (or is one
        # that leads inside): one look at each folder's own name, each folder
        # once, rather than at every folder above it for each (every post of
        # a site has a folder of its own). A folder not made yet is no link.
        asked, below_checked = folder, []
        while folder != self.root and folder not in self.checked:
            parent = os.path.dirname(folder)
            if parent == folder:
                # It does not lead up to the root: judged by where it leads.
                return self._resolves_inside(asked)
            below_checked.append(folder)
            folder = parent
        for each in reversed(below_checked):
            if os.path.islink(each) and not self._resolves_inside(each):
                return False
            self.checked.add(each)
        return True

    def _resolves_inside(self, folder: str) -> bool:
        real = os.path.realpath(folder)
        return real == self.real_root or real.startswith(self.real_root + os.sep)


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NO_FOLLOW


def read_file(path: str) -> bytes | None:
    """The bytes of a regular file at ``path``; None if missing, a folder or a link."""
    try:
        fd = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None
        raise
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def write_file(path: str, data: bytes, *, replace: bool) -> None:
    """Write ``path`` without following a symbolic link in its name.

    ``replace`` writes a temporary file and renames it over the old one, so a
    server reading the file never sees half of it; a link in the way is then
    replaced by the file, not written through.
    """
    if not replace:
        try:
            fd = os.open(path, _CREATE, 0o644)
        except OSError as error:
            if error.errno != errno.ELOOP:
                raise
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            return
    temporary = path + ".tmp"
    if os.path.islink(temporary):
        os.unlink(temporary)
    fd = os.open(temporary, _CREATE, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def clear(outdir: Path, *manifests: str) -> None:
    """Delete a previous build entirely (``--clean``), and nothing else.

    Refused when the folder holds anything but none of the build
    ``manifests`` (the record of this version or an earlier one's): it
    is not a build's output (a typo, the home folder, the data folder).
    """
    if not outdir.exists():
        return
    if outdir.is_symlink() or not outdir.is_dir():
        raise OutputFolderError(
            f"{outdir} is not a folder (or is a symbolic link): --clean deletes"
            " only a folder a build wrote."
        )
    if any(outdir.iterdir()) and not any((outdir / m).is_file() for m in manifests):
        raise OutputFolderError(
            f"{outdir} is not empty and has no {manifests[0]}, so no build wrote it:"
            " --clean deleted nothing. Name an empty folder or an earlier"
            " build's folder."
        )
    shutil.rmtree(outdir)
