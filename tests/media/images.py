"""Real image files made with Pillow, for upload tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (1200, 800), color=None
) -> bytes:
    """An image with a gradient, so that encoders have something to compress."""
    width, height = size
    mode = "RGB" if fmt in ("JPEG", "GIF") else "RGBA"
    image = Image.new(mode, size, color or (30, 90, 160))
    if color is None:
        step = max(1, width // 64)
        for x in range(0, width, step):
            shade = (x * 255) // max(1, width - 1)
            band = Image.new(mode, (step, height), (shade, 90, 255 - shade))
            image.paste(band, (x, 0))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def upload(
    fmt: str = "PNG",
    size: tuple[int, int] = (1200, 800),
    name: str | None = None,
    color=None,
) -> SimpleUploadedFile:
    data = image_bytes(fmt, size, color)
    name = name or f"still.{EXTENSIONS[fmt]}"
    return SimpleUploadedFile(name, data, content_type=f"image/{EXTENSIONS[fmt]}")


def bomb_png(size: tuple[int, int] = (10_000, 10_000)) -> bytes:
    """A tiny PNG that claims 100 megapixels: a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", size, 0).save(out, "PNG", optimize=True)
    return out.getvalue()
