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


# What a phone writes into a photo, made up for the tests. Each string is
# looked for in the bytes of every file the site serves.
CAMERA_SERIAL = "AFW-SERIAL-0042"
CAMERA_MAKER = "Afterword Test Optics"
PHOTO_COMMENT = "Taken on the balcony at home"
PNG_LOCATION = "48.85820 N, 2.29450 E"
XMP_PLACE = "AFW-XMP-Rue-des-Tests"
SECRETS = (CAMERA_SERIAL, CAMERA_MAKER, PHOTO_COMMENT, PNG_LOCATION, XMP_PLACE)

QUADRANT_COLOURS = {
    "top-left": (220, 30, 30),
    "top-right": (30, 200, 30),
    "bottom-left": (30, 30, 220),
    "bottom-right": (230, 230, 40),
}


def quadrants(size: tuple[int, int]) -> Image.Image:
    """A picture in four coloured quarters, so a rotation can be seen."""
    width, height = size
    picture = Image.new("RGB", size)
    half_w, half_h = width // 2, height // 2
    boxes = {
        "top-left": (0, 0, half_w, half_h),
        "top-right": (half_w, 0, width, half_h),
        "bottom-left": (0, half_h, half_w, height),
        "bottom-right": (half_w, half_h, width, height),
    }
    for corner, box in boxes.items():
        picture.paste(QUADRANT_COLOURS[corner], box)
    return picture


def camera_exif(orientation: int = 6) -> Image.Exif:
    """EXIF as a phone writes it: maker, serial, time, orientation and GPS."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKER  # Make
    exif[0x0132] = "2024:05:17 18:42:07"  # DateTime
    exif[0x0112] = orientation
    details = exif.get_ifd(0x8769)  # the Exif sub-IFD
    details[0xA431] = CAMERA_SERIAL  # BodySerialNumber
    details[0x9003] = "2024:05:17 18:42:07"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 29.52)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.2)
    return exif


def xmp_packet() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
        b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="'
        + XMP_PLACE.encode()
        + b'"/></rdf:RDF></x:xmpmeta>'
    )


def gps_jpeg(size: tuple[int, int] = (1200, 1800), orientation: int = 6) -> bytes:
    """A phone photo: stored sideways with Orientation 6, GPS, serial, XMP."""
    out = io.BytesIO()
    quadrants(size).save(
        out,
        "JPEG",
        quality=93,
        exif=camera_exif(orientation),
        xmp=xmp_packet(),
        comment=PHOTO_COMMENT.encode(),
    )
    return out.getvalue()


def located_png(size: tuple[int, int] = (640, 400)) -> bytes:
    """A screenshot whose text chunks say where it was made."""
    from PIL import PngImagePlugin

    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Location", PNG_LOCATION)
    chunks.add_itxt("Comment", PHOTO_COMMENT)
    chunks.add_text("Author", CAMERA_SERIAL, zip=True)  # a zTXt chunk
    out = io.BytesIO()
    quadrants(size).save(out, "PNG", pnginfo=chunks)
    return out.getvalue()


def camera_data_in(data: bytes) -> list[str]:
    """What of a phone's data a served file still holds, read back with Pillow.

    Empty for a clean file. Also searches the raw bytes for the made-up
    values above, in case Pillow does not read some block.
    """
    found = []
    with Image.open(io.BytesIO(data)) as picture:
        exif = picture.getexif()
        if exif.get_ifd(0x8825):
            found.append(f"GPS {dict(exif.get_ifd(0x8825))}")
        if dict(exif):
            found.append(f"EXIF {dict(exif)}")
        for key in ("exif", "xmp", "comment", "photoshop"):
            if picture.info.get(key):
                found.append(key)
        found.extend(f"text {key}" for key in getattr(picture, "text", {}))
    found.extend(secret for secret in SECRETS if secret.encode() in data)
    return found
