"""Removing camera data from files stored before uploads were re-encoded.

Images uploaded before issue 11 were stored as they came, EXIF GPS
and all. ``strip_stored_files`` re-encodes each library original, rendition
and avatar that still carries camera data, in place: the file keeps its name
and address, so posts, feeds and cached pages that show it stay right. A
file that is already clean is left alone, so running it again changes
nothing. The ``afterword strip-photo-metadata`` command is its front door.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage

from afterword.accounts.avatars import clean_avatar
from afterword.accounts.avatars import decode as decode_avatar
from afterword.core.camera_data import (
    WEB_FORMATS,
    camera_data_found,
    strip_camera_data,
)

from .models import Image, Rendition
from .services import decode_image

MISSING = "the file is missing"


@dataclass
class Tally:
    """What happened to one kind of file."""

    checked: int = 0
    stripped: int = 0


@dataclass
class StripReport:
    originals: Tally = field(default_factory=Tally)
    renditions: Tally = field(default_factory=Tally)
    avatars: Tally = field(default_factory=Tally)
    # (storage name, reason) of files left as they were.
    failed: list[tuple[str, str]] = field(default_factory=list)


def strip_stored_files(
    *, dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> StripReport:
    """Re-encode every stored image that still carries camera data.

    With ``dry_run`` nothing is written; the report counts what would be.
    ``progress`` is told the name of each file re-encoded (or to be).
    """
    return _Stripper(dry_run, progress or (lambda name: None)).run()


@dataclass
class _Stripper:
    dry_run: bool
    tell: Callable[[str], None]
    report: StripReport = field(default_factory=StripReport)

    def run(self) -> StripReport:
        for image in Image.objects.only("id", "file").iterator():
            self.count(self.report.originals, self.library_file(image.file, image))
        for rendition in Rendition.objects.only("id", "file").iterator():
            self.count(self.report.renditions, self.library_file(rendition.file))
        users = get_user_model().objects.exclude(avatar="").only("id", "avatar")
        for user in users.iterator():
            self.count(self.report.avatars, self.avatar(user))
        return self.report

    @staticmethod
    def count(tally: Tally, stripped: bool) -> None:
        tally.checked += 1
        tally.stripped += stripped

    def refuse(self, name: str, reason: str) -> bool:
        self.report.failed.append((name, reason))
        return False

    def library_file(self, stored, image: Image | None = None) -> bool:
        """Re-encode one original or rendition in place, if it needs it."""
        data = _read(stored)
        if data is None:
            return self.refuse(stored.name, MISSING)
        try:
            fmt, picture = decode_image(data)
        except ValidationError as error:
            return self.refuse(stored.name, " ".join(error.messages))
        if not camera_data_found(picture, data):
            return False
        if not self.dry_run:
            try:
                clean = strip_camera_data(data, picture, fmt)
            except (OSError, ValueError) as error:
                return self.refuse(stored.name, f"could not be re-encoded: {error}")
            replace_in_place(stored.storage, stored.name, clean.data)
            if image is not None:
                # A plain update: what readers see keeps its address and its
                # upright size, so there is nothing to announce.
                width, height = clean.still.size
                Image.objects.filter(pk=image.pk).update(
                    bytes=len(clean.data), width=width, height=height
                )
        self.tell(stored.name)
        return True

    def avatar(self, user) -> bool:
        """Re-encode one avatar; a BMP or TIFF one becomes a PNG, renamed."""
        stored = user.avatar
        old_name = stored.name
        data = _read(stored)
        if data is None:
            return self.refuse(old_name, MISSING)
        try:
            picture = decode_avatar(data)
            if picture.format in WEB_FORMATS and not camera_data_found(picture, data):
                return False
            clean, name = clean_avatar(data, old_name)
        except ValidationError as error:
            return self.refuse(old_name, " ".join(error.messages))
        if not self.dry_run:
            new_name = str(PurePosixPath(old_name).with_name(PurePosixPath(name).name))
            if new_name == old_name:
                replace_in_place(stored.storage, old_name, clean)
            else:
                # Saved through the model, so the pages showing the avatar
                # learn of its new address before the old file goes.
                stored.name = stored.storage.save(new_name, ContentFile(clean))
                user.save(update_fields=["avatar"])
                stored.storage.delete(old_name)
        self.tell(old_name)
        return True


def _read(stored) -> bytes | None:
    try:
        with stored.storage.open(stored.name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def replace_in_place(storage: Storage, name: str, data: bytes) -> None:
    """Write ``data`` over the stored file ``name``, keeping its name.

    On a local disk the new bytes go to a file beside it that is then
    renamed over it, so a reader (or nginx) never sees half a file and a
    crash leaves the old file whole.
    """
    try:
        path = storage.path(name)
    except NotImplementedError:
        storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            raise RuntimeError(f"{name} was stored as {saved}") from None
        return
    temporary = f"{path}.stripping"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
