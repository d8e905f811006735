"""Camera data: what an image file says besides its picture, and removing it.

A phone writes into every photo where it was taken (EXIF GPS), when, and
with which device (make, model, serial number); editors add XMP packets,
IPTC records and comments, and PNG text chunks can hold all of the same.
None of it helps a reader see the picture, and all of it is published with
the file: as the ``src`` of a figure, the largest ``srcset`` candidate, the
``og:image`` and the static build's copy. So every image Afterword takes in
(media library uploads, avatars) is re-encoded from its pixels by
``strip_camera_data``, unless the operator sets
``AFTERWORD_KEEP_CAMERA_DATA`` (see docs/configuration.md).

What is kept is what a reader needs to see the picture as it was meant:

- the pixels, turned upright first: the EXIF orientation is applied to them,
  so the file needs no Orientation tag and shows the same everywhere;
- the ICC colour profile. It says how to read the pixel values as colours
  (a phone's Display P3 photo looks dull without it) and nothing about the
  place, the time or the device's identity;
- PNG transparency, gamma, chromaticity and sRGB chunks (colour, again);
- animation: every frame of an animated GIF, WebP or PNG, with its duration
  and the loop count.

Quality: a JPEG is written with the quantisation tables and chroma
subsampling it came with (what Pillow's ``quality="keep"`` does, which it
only allows on an untouched JPEG, not on a rotated copy), so a screenshot
keeps its sharpness and a small file does not grow. PNG and GIF are
lossless; a lossless WebP stays lossless and a lossy one is written at
quality 90.

``camera_data_found`` lists the camera data a file still carries, from what
Pillow read and from every block of the file (``image_blocks``): the
``strip-photo-metadata`` command uses it to leave clean files alone, which
makes it safe to run again.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageSequence, JpegImagePlugin, PngImagePlugin

from .image_blocks import gif_blocks, jpeg_segments, png_chunks, webp_chunks

WEB_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
LOSSY_WEBP_QUALITY = 90
# Only for a JPEG whose quantisation tables Pillow could not read.
FALLBACK_JPEG_QUALITY = 92
EXIF_ORIENTATION = 0x0112

# Pillow's name for what it read -> kept, because it is not camera data.
# Anything else Pillow puts in ``info`` (EXIF, XMP, IPTC, comments, every
# PNG text chunk under its own keyword ...) is camera data.
PICTURE_INFO = {
    "JPEG": {
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "dpi",
        "adobe",
        "adobe_transform",
        "progressive",
        "progression",
        "icc_profile",
    },
    "PNG": {
        "transparency",
        "gamma",
        "srgb",
        "chromaticity",
        "dpi",
        "aspect",
        "icc_profile",
        "interlace",
        # Animation (APNG).
        "loop",
        "duration",
        "disposal",
        "blend",
        "bbox",
        "default_image",
    },
    "GIF": {
        "version",
        "background",
        "transparency",
        "duration",
        "loop",
        "extents",
    },
    "WEBP": {"loop", "background", "timestamp", "duration", "icc_profile"},
}
# The blocks of each format a picture needs (read by ``image_blocks``).
# Anything else is camera data: an EXIF or XMP chunk, a comment, a text
# chunk, a ``tIME`` stamp, a foreign application extension ...
PICTURE_BLOCKS = {
    "JPEG": {
        *(f"SOF{n}" for n in range(16)),
        "DHT",
        "DQT",
        "DRI",
        "DNL",
        "DAC",
        "SOS",
        "APP0",
        "APP2",
        "APP14",
    },
    "PNG": {
        "IHDR",
        "PLTE",
        "IDAT",
        "IEND",
        "tRNS",
        "gAMA",
        "cHRM",
        "sRGB",
        "iCCP",
        "sBIT",
        "pHYs",
        "bKGD",
        "cICP",
        # Animation (APNG).
        "acTL",
        "fcTL",
        "fdAT",
    },
    "WEBP": {"VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"},
    "GIF": {
        "image",
        "graphic control",
        "application NETSCAPE2.0",
        "application ANIMEXTS1.0",
    },
}
# What the JPEG segments a picture needs start with: JFIF header, ICC
# profile, Adobe colour transform. An APP0 thumbnail (JFXX) is not needed.
PICTURE_SEGMENTS = {"APP0": b"JFIF\x00", "APP2": b"ICC_PROFILE\x00", "APP14": b"Adobe"}

# EXIF orientation -> the transpose that shows the picture upright.
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image: its bytes, format, and first frame for resizing."""

    data: bytes
    format: str
    # The first frame, upright, in memory: renditions are made from it.
    still: Image.Image
    animated: bool


def keep_camera_data() -> bool:
    """Whether the operator chose to publish files as uploaded (off by default)."""
    return bool(getattr(settings, "AFTERWORD_KEEP_CAMERA_DATA", False))


def orientation(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation of ``image``: 1 when it is upright."""
    value = image.getexif().get(EXIF_ORIENTATION, 1)
    return value if value in UPRIGHT else 1


def upright(image: Image.Image) -> Image.Image:
    """A copy of the current frame of ``image`` with its orientation applied."""
    turn = UPRIGHT.get(orientation(image))
    return image.transpose(turn) if turn is not None else image.copy()


def camera_data_found(image: Image.Image, data: bytes) -> list[str]:
    """The kinds of camera data the file ``data`` (opened as ``image``) holds.

    Empty for a file ``strip_camera_data`` wrote. Checked against what a
    picture needs rather than a list of known metadata, so anything new
    counts as camera data until it is known to be harmless; and against
    every block of the file, not only those Pillow reads.
    """
    fmt = image.format or ""
    allowed = PICTURE_INFO.get(fmt, set())
    found = {key for key in image.info if key not in allowed}
    found.discard("extension")  # a GIF's; its blocks are looked at below
    found |= set(_blocks(fmt, data)) - PICTURE_BLOCKS.get(fmt, set())
    for marker, payload in getattr(image, "applist", []):
        prefix = PICTURE_SEGMENTS.get(marker)
        if prefix is not None and not payload.startswith(prefix):
            found.add(f"{marker} {payload[:12]!r}")
        elif marker == "APP0" and len(payload) > 14:
            found.add("JFIF thumbnail")
    if fmt == "JPEG" and jpeg_segments(data)[1]:
        found.add("data after the picture")
    if orientation(image) != 1:
        found.add("orientation")
    return sorted(found)


def _blocks(fmt: str, data: bytes) -> list[str]:
    if fmt == "JPEG":
        return jpeg_segments(data)[0]
    if fmt == "PNG":
        return png_chunks(data)
    if fmt == "WEBP":
        return webp_chunks(data)
    if fmt == "GIF":
        return gif_blocks(data)
    return []


def strip_camera_data(data: bytes, image: Image.Image, fmt: str) -> CleanImage:
    """Re-encode the decoded ``image`` (read from ``data``) without camera data.

    ``fmt`` is the format Pillow read; a format browsers do not show is
    written as PNG (its first frame). Raises ``OSError`` or ``ValueError``
    when Pillow cannot write the picture.
    """
    frames, durations = _upright_frames(image)
    still = frames[0]
    if fmt not in WEB_FORMATS:
        flat = _png_mode(still)
        # A profile describes the pixels it came with, not converted ones.
        colour = image if flat is still else None
        return CleanImage(_png(flat, colour), "PNG", flat, False)
    if len(frames) > 1:
        data = _animation(frames, durations, image, fmt, data)
        return CleanImage(data, fmt, still, True)
    if fmt == "JPEG":
        return CleanImage(_jpeg(still, image), fmt, still, False)
    if fmt == "PNG":
        return CleanImage(_png(still, image), fmt, still, False)
    if fmt == "WEBP":
        out = io.BytesIO()
        still.save(out, "WEBP", **_webp_options(image, data), method=4)
        return CleanImage(out.getvalue(), fmt, still, False)
    out = io.BytesIO()
    still.save(out, "GIF")
    return CleanImage(out.getvalue(), fmt, still, False)


def _upright_frames(image: Image.Image) -> tuple[list[Image.Image], list[int]]:
    """Every frame, upright and with nothing in ``info`` but what draws it."""
    turn = UPRIGHT.get(orientation(image))
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        # Loaded first: WebP sets a frame's duration when it decodes it.
        frame.load()
        durations.append(frame.info.get("duration", 0))
        copy = frame.transpose(turn) if turn is not None else frame.copy()
        # Encoders read some keys (a JPEG or GIF comment) from ``info``
        # when not told otherwise: keep only what draws the picture.
        copy.info = {
            key: frame.info[key]
            for key in ("transparency", "background")
            if key in frame.info
        }
        frames.append(copy)
    image.seek(0)
    return frames, durations


def _colour(image: Image.Image) -> dict:
    """The ICC profile, as an encoder option, when the source has one."""
    profile = image.info.get("icc_profile")
    return {"icc_profile": profile} if profile else {}


def _jpeg(still: Image.Image, source: Image.Image) -> bytes:
    options = {
        "optimize": True,
        "progressive": bool(
            source.info.get("progressive") or source.info.get("progression")
        ),
        **_colour(source),
    }
    tables = getattr(source, "quantization", None)
    if tables:
        options["qtables"] = tables
        options["subsampling"] = JpegImagePlugin.get_sampling(source)
    else:
        options["quality"] = FALLBACK_JPEG_QUALITY
    out = io.BytesIO()
    still.save(out, "JPEG", **options)
    return out.getvalue()


def _png(still: Image.Image, source: Image.Image | None) -> bytes:
    """A still PNG; ``source`` (None to drop them) gives the colour chunks."""
    options = {}
    if source is not None:
        options = {"pnginfo": _png_colour_chunks(source), **_colour(source)}
    out = io.BytesIO()
    still.save(out, "PNG", **options)
    return out.getvalue()


def _png_colour_chunks(source: Image.Image) -> PngImagePlugin.PngInfo | None:
    """gAMA, cHRM and sRGB as the source had them: colour, not camera data."""
    if source.format != "PNG":
        return None
    chunks = PngImagePlugin.PngInfo()
    info = source.info
    if "gamma" in info:
        chunks.add(b"gAMA", struct.pack(">I", round(info["gamma"] * 100_000)))
    if "chromaticity" in info:
        values = [round(value * 100_000) for value in info["chromaticity"]]
        chunks.add(b"cHRM", struct.pack(">8I", *values))
    if "srgb" in info:
        chunks.add(b"sRGB", bytes([info["srgb"]]))
    return chunks if chunks.chunks else None


def _png_mode(still: Image.Image) -> Image.Image:
    """A still PNG can hold: other formats' modes (CMYK, YCbCr ...) become RGB."""
    if still.mode in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
        return still
    return still.convert("RGBA" if "A" in still.getbands() else "RGB")


def _animation(
    frames: list[Image.Image],
    durations: list[int],
    source: Image.Image,
    fmt: str,
    data: bytes,
) -> bytes:
    options: dict = {
        "save_all": True,
        "append_images": frames[1:],
        "duration": durations,
    }
    if "loop" in source.info:
        # A GIF without a loop count plays once; keep it that way.
        options["loop"] = source.info["loop"]
    if fmt == "GIF" and any(_has_alpha(frame) for frame in frames):
        # Pillow hands out every frame already composed, so each one
        # replaces the last: clear it first, or transparent areas would
        # show the frame before.
        options["disposal"] = 2
    if fmt == "WEBP":
        options.update(_webp_options(source, data))
    elif fmt == "PNG":
        options.update(_colour(source))
    out = io.BytesIO()
    frames[0].save(out, fmt, **options)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _webp_options(source: Image.Image, data: bytes) -> dict:
    options = dict(_colour(source))
    if _webp_is_lossless(data):
        options["lossless"] = True
    else:
        options["quality"] = LOSSY_WEBP_QUALITY
    return options


def _webp_is_lossless(data: bytes) -> bool:
    """Whether every picture in a WebP file is VP8L (lossless) data."""
    return {"VP8 ", "VP8L"} & set(webp_chunks(data)) == {"VP8L"}
