"""Avatars: a writer's picture, stored without what the camera wrote into it.

An avatar is shown to every reader on the author page, so it is treated like
a library image (``afterword.core.camera_data``): re-encoded upright, without
EXIF GPS, serial numbers, XMP or comments. ``AvatarField`` does it in the
model field, as the file is stored, so every way of setting an avatar (the
admin today, a profile page or an API later, code) goes through it; its form
field decodes the whole picture first, so a broken file is refused with a
message next to the field rather than failing on save.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image

from afterword.core.camera_data import keep_camera_data, strip_camera_data

EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
UNREADABLE = (
    "This picture could not be read completely. Save it again as a JPEG or "
    "PNG and upload that file."
)


def clean_avatar(data: bytes, name: str) -> tuple[bytes, str]:
    """The bytes and file name to store for an uploaded avatar.

    Re-encoded without camera data unless the operator keeps it
    (``AFTERWORD_KEEP_CAMERA_DATA``); a format browsers do not show (BMP,
    TIFF ...) becomes a PNG. Raises ``ValidationError``.
    """
    picture = decode(data)
    if keep_camera_data():
        return data, name
    try:
        clean = strip_camera_data(data, picture, picture.format or "")
    except (OSError, ValueError) as exc:
        raise ValidationError(UNREADABLE, code="not_resaved") from exc
    stem = PurePosixPath(name or "avatar").stem or "avatar"
    return clean.data, stem + EXTENSIONS[clean.format]


def decode(data: bytes) -> Image.Image:
    """``data`` fully decoded, refusing pictures larger than Pillow's limit.

    Pillow only warns between its limit and twice that; an avatar has no
    use for that many pixels, so the warning is a refusal here.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            picture.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "This picture has too many pixels for an avatar.", code="too_many_pixels"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(UNREADABLE, code="unreadable") from exc
    return picture


class AvatarFormField(forms.ImageField):
    """Django's image check, then a full decode and the upload size limit."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        limit = settings.AFTERWORD_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                f"This picture is larger than {limit // 2**20} MB.", code="too_large"
            )
        upload.seek(0)
        decode(upload.read())
        upload.seek(0)
        return upload


class AvatarField(models.ImageField):
    """An image field whose new files are stored without camera data."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AvatarFormField, **kwargs})

    def pre_save(self, model_instance, add):
        stored = getattr(model_instance, self.attname)
        if stored and not stored._committed:
            upload = stored.file
            upload.seek(0)
            data, name = clean_avatar(upload.read(), stored.name)
            stored.file = ContentFile(data, name=name)
            stored.name = name
        return super().pre_save(model_instance, add)
