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

``camera_data_found`` lists the camera data a file still carries: the
``strip-photo-metadata`` command uses it to leave clean files alone, which
makes it safe to run again.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageSequence, JpegImagePlugin, PngImagePlugin

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
# The GIF application extensions that only say how often to loop.
LOOP_EXTENSIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
# JPEG segments a picture needs: JFIF header, ICC profile, Adobe colour
# transform. EXIF and XMP (APP1), IPTC (APP13), comments and anything else
# are camera data.
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


def camera_data_found(image: Image.Image, data: bytes = b"") -> list[str]:
    """The kinds of camera data ``image`` (as opened by Pillow) carries.

    Empty for a file ``strip_camera_data`` wrote. Checked against what a
    picture needs rather than a list of known metadata, so something new
    counts as camera data until it is known to be harmless. Pillow keeps
    only one of a GIF's extensions, so for a GIF pass its bytes as ``data``
    and every block is looked at.
    """
    allowed = PICTURE_INFO.get(image.format or "", set())
    found = {key for key in image.info if key not in allowed}
    if image.info.get("extension", (b"",))[0] in LOOP_EXTENSIONS:
        found.discard("extension")
    for marker, payload in getattr(image, "applist", []):
        prefix = PICTURE_SEGMENTS.get(marker)
        if prefix is None or not payload.startswith(prefix):
            found.add(marker)
        elif marker == "APP0" and len(payload) > 14:
            found.add("JFIF thumbnail")
    if orientation(image) != 1:
        found.add("orientation")
    if image.format == "GIF" and data:
        found |= _gif_extras(data)
    return sorted(found)


def _gif_extras(data: bytes) -> set[str]:
    """The blocks of a GIF that draw nothing: comments, text, foreign extensions."""
    found: set[str] = set()

    def skip_sub_blocks(at: int) -> int:
        while at < len(data) and data[at]:
            at += 1 + data[at]
        return at + 1

    def colour_table(packed: int) -> int:
        return 3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0

    at = 13 + colour_table(data[10]) if len(data) > 13 else len(data)
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # trailer
            return found
        if block == 0x2C:  # an image: descriptor, colour table, LZW data
            packed = data[at + 9] if at + 9 < len(data) else 0
            at = skip_sub_blocks(at + 10 + colour_table(packed) + 1)
        elif block == 0x21 and at + 1 < len(data):
            label = data[at + 1]
            if label == 0xFE:
                found.add("comment")
            elif label == 0x01:
                found.add("plain text")
            elif label == 0xFF:
                name = data[at + 3 : at + 14]
                if name not in LOOP_EXTENSIONS:
                    found.add(name.decode("latin-1").strip())
            at = skip_sub_blocks(at + 2)
        else:
            break
    found.add("unreadable blocks")
    return found


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
    """Whether every picture in a WebP file is VP8L (lossless) data.

    Walks the RIFF chunks (and those inside each animation frame) rather
    than searching the bytes, where "VP8L" could appear by chance.
    """
    kinds: set[bytes] = set()

    def walk(start: int, end: int) -> None:
        while start + 8 <= end:
            kind = data[start : start + 4]
            size = int.from_bytes(data[start + 4 : start + 8], "little")
            if kind == b"ANMF":
                walk(start + 8 + 16, min(end, start + 8 + size))
            elif kind in (b"VP8 ", b"VP8L"):
                kinds.add(kind)
            start += 8 + size + (size & 1)

    walk(12, len(data))
    return kinds == {b"VP8L"}
