"""Taking in uploaded images and describing them to the Markdown pipeline.

``ingest_upload`` is the one way an image enters the library (admin form,
editor drag-and-drop, importers, demo loader). It checks the file by really
decoding it with Pillow, stores the original re-encoded upright and without
camera data (EXIF GPS, serial numbers, XMP, comments, text chunks: see
``afterword.core.camera_data``), and writes WebP renditions at a few widths
for ``srcset``. Nothing is written until the file has passed every check and
been re-encoded, and anything written is removed again if a later step
fails, so a bad upload leaves the library as it was.

``describe_image`` is the ``image_resolver`` given to
``afterword.core.markdown.render_markdown``: it turns an image address found
in Markdown into the size, ``srcset`` and alt text the library knows.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import get_valid_filename
from PIL import Image as PILImage

from afterword.core.camera_data import (
    CleanImage,
    keep_camera_data,
    strip_camera_data,
    upright,
)

from .models import Image, Rendition

# Pillow format name -> (MIME type, file extension we store it under).
ACCEPTED_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "GIF": ("image/gif", ".gif"),
}
DECODED_FORMATS = tuple(ACCEPTED_FORMATS)
# Rendition widths for srcset; an image is never enlarged to reach one.
RENDITION_WIDTHS = (480, 960, 1600)
# Larger than any real screenshot or photo a review needs; a small file that
# claims more pixels than this is a decompression bomb.
DEFAULT_MAX_PIXELS = 50_000_000
# The reading column is about 42rem wide; the browser picks from srcset with it.
DEFAULT_SIZES = "(min-width: 46rem) 42rem, 100vw"
WEBP_QUALITY = 82

NOT_AN_IMAGE = "This file is not a JPEG, PNG, WebP or GIF image."
NOT_RESAVED = (
    "This image could not be saved again without its camera data "
    "(location, device, comments). Export it again from your photo editor, "
    "as JPEG or PNG, and upload that file."
)


@dataclass(frozen=True)
class ImageDescription:
    """What the Markdown pipeline needs to print an ``<img>`` that never shifts."""

    id: int
    src: str
    width: int
    height: int
    srcset: str
    sizes: str
    alt: str
    caption: str
    credit: str


def max_pixels() -> int:
    return getattr(settings, "AFTERWORD_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS)


def read_upload(file) -> bytes:
    """Read the upload, refusing it once it passes the size limit."""
    limit = settings.AFTERWORD_MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_too_large_message(size, limit), code="too_large")
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_too_large_message(len(data), limit), code="too_large")
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    return data


def _too_large_message(size: int, limit: int) -> str:
    return (
        f"This file is {_human_size(size)}; images may be at most {_human_size(limit)}."
    )


def _human_size(size: int) -> str:
    if size < 2**20:
        return f"{math.ceil(size / 1024)} KB"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """Decode ``data`` fully and return (Pillow format, width, height).

    Raises ``ValidationError`` with a message a writer can act on.
    """
    fmt, decoded = decode_image(data)
    return fmt, decoded.width, decoded.height


def decode_image(data: bytes) -> tuple[str, PILImage.Image]:
    """Check ``data`` is an image we accept and return it decoded (first frame).

    The pixel count is checked from the header before any pixel is decoded,
    so a decompression bomb costs nothing; then the file is verified and
    fully decoded, which catches truncated or corrupt pixel data.
    """
    try:
        with warnings.catch_warnings():
            # Our own pixel limit below replaces Pillow's warning.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            # Only the decoders of the accepted formats ever see the bytes:
            # Pillow would otherwise try each of its dozens of plugins.
            with PILImage.open(io.BytesIO(data), formats=DECODED_FORMATS) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ACCEPTED_FORMATS:
                    raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
                if width * height > max_pixels():
                    raise _too_many_pixels(f"{width}×{height} pixels")
                probe.verify()
            # verify() leaves the image unusable: open it again to decode.
            decoded = PILImage.open(io.BytesIO(data), formats=DECODED_FORMATS)
            decoded.load()
    except ValidationError:
        raise
    except PILImage.DecompressionBombError as exc:
        raise _too_many_pixels("too many pixels") from exc
    except Exception as exc:
        # A decoder fed hostile bytes can fail in any way (Pillow's own test
        # images raise NotImplementedError, struct.error, EOFError...);
        # every one of them means the file is not an image we can take.
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from exc
    return fmt, decoded


def original_to_store(data: bytes, fmt: str, decoded: PILImage.Image) -> CleanImage:
    """The bytes to store for an upload, with its upright first frame.

    Re-encoded without camera data, unless the operator keeps camera data
    (``AFTERWORD_KEEP_CAMERA_DATA``): then the upload is stored as it came
    and browsers turn it by its EXIF orientation.
    """
    try:
        if keep_camera_data():
            animated = getattr(decoded, "n_frames", 1) > 1
            return CleanImage(data, fmt, upright(decoded), animated)
        return strip_camera_data(data, decoded, fmt)
    except ValidationError:
        raise
    except PILImage.DecompressionBombError as exc:
        # A later frame of an animation may claim far more pixels than the
        # first, which decode_image checked.
        raise _too_many_pixels("too many pixels in one of its frames") from exc
    except (OSError, ValueError) as exc:
        raise ValidationError(NOT_RESAVED, code="not_resaved") from exc
    except Exception as exc:
        # Reading every frame runs decoders the first frame never reached
        # (an APNG's frame sequence, say); whatever they raise, the file is
        # not an image we can take.
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from exc


def _too_many_pixels(what: str) -> ValidationError:
    return ValidationError(
        f"This image is {what}; images may have at most "
        f"{max_pixels() // 1_000_000} megapixels.",
        code="too_many_pixels",
    )


def _stored_name(original_name: str, extension: str) -> str:
    stem = PurePosixPath(original_name or "image").stem
    stem = get_valid_filename(stem)[:80] or "image"
    return f"{stem}{extension}"


def rendition_widths(width: int) -> list[int]:
    """The srcset widths for an image ``width`` pixels wide, never upscaling.

    The image's own width is added when it falls between the steps (or below
    the first), so the largest rendition is as sharp as the original allows.
    """
    widths = [w for w in RENDITION_WIDTHS if w <= width]
    if width < RENDITION_WIDTHS[-1] and width not in widths:
        widths.append(width)
    return widths


def _webp_bytes(image: PILImage.Image) -> bytes:
    out = io.BytesIO()
    # method=2 encodes several times faster than the default 4 for files
    # within a few percent of the same size.
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=2)
    return out.getvalue()


def make_renditions(image: Image, original: CleanImage) -> list[Rendition]:
    """Write the WebP renditions of ``image``, from its stored original.

    Widths are made largest first, each scaled down from the one before: a
    photo is resized from its full size only once, which keeps a 12
    megapixel upload fast. A rendition is a new WebP file: it carries
    nothing of the original but its pixels.
    """
    if original.animated:
        # A still rendition in srcset would replace the animation in
        # browsers; animated images are served as stored, every frame.
        return []
    source = original.still
    source = source.convert("RGBA" if _has_alpha(source) else "RGB")
    stem = PurePosixPath(image.file.name).stem
    made = []
    for width in sorted(rendition_widths(source.width), reverse=True):
        height = max(1, round(source.height * width / source.width))
        if width != source.width:
            source = source.resize(
                (width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0
            )
        rendition = Rendition(image=image, width=width, height=height)
        rendition.file.save(
            f"{stem}-{width}w.webp", ContentFile(_webp_bytes(source)), save=False
        )
        rendition.save()
        made.append(rendition)
    return made[::-1]


def _has_alpha(img: PILImage.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or (
        img.mode == "P" and "transparency" in img.info
    )


def ingest_upload(
    file, *, user=None, alt_text: str = "", caption: str = "", credit: str = ""
) -> Image:
    """Validate an uploaded file and add it to the library with its renditions.

    The file is stored re-encoded, upright and without camera data (see
    ``original_to_store``). The same bytes uploaded again return the existing
    ``Image`` (filling in alt text, caption or credit it lacked) instead of
    storing a copy: ``Image.sha256`` is the digest of the bytes as uploaded,
    not as stored, so the match does not depend on the encoder's output
    (which changes with Pillow versions) and still holds for originals that
    ``strip-photo-metadata`` re-encoded later.
    Raises ``ValidationError`` for anything that is not an acceptable image.
    """
    data = read_upload(file)
    fmt, decoded = decode_image(data)
    digest = hashlib.sha256(data).hexdigest()

    existing = Image.objects.filter(sha256=digest).first()
    if existing is not None:
        fill_blanks(existing, alt_text=alt_text, caption=caption, credit=credit)
        return existing

    original = original_to_store(data, fmt, decoded)
    mime, extension = ACCEPTED_FORMATS[original.format]
    name = _stored_name(getattr(file, "name", "") or "", extension)
    image = Image(
        mime_type=mime,
        bytes=len(original.data),
        sha256=digest,
        title=PurePosixPath(name).stem.replace("_", " ").replace("-", " "),
        alt_text=alt_text.strip(),
        caption=caption.strip(),
        credit=credit.strip(),
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    written: list = []
    try:
        with transaction.atomic():
            image.file.save(name, ContentFile(original.data), save=False)
            written.append(image.file)
            # Set from the upright picture rather than left to the field,
            # which would open the stored file again (and, when camera data
            # is kept, ignore its EXIF rotation).
            image.width, image.height = original.still.size
            image.save()
            for rendition in make_renditions(image, original):
                written.append(rendition.file)
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise
    return image


def thumbnail_url(image: Image) -> str:
    """The smallest rendition's address (prefetch ``renditions`` for lists)."""
    renditions = list(image.renditions.all())
    return renditions[0].file.url if renditions else image.file.url


def fill_blanks(image: Image, **values: str) -> None:
    """Set the given text fields of ``image`` that are still empty."""
    changed = []
    for field, value in values.items():
        if value.strip() and not getattr(image, field):
            setattr(image, field, value.strip())
            changed.append(field)
    if changed:
        image.save(update_fields=changed)


def media_name_from_src(src: str) -> str | None:
    """The storage name for an image address, or None if it is not ours.

    Accepts ``/media/images/…``, the same with the site's own origin, and
    the bare storage name ``images/…``.
    """
    src = unquote((src or "").split("#", 1)[0].split("?", 1)[0].strip())
    site_url = getattr(settings, "SITE_URL", "")
    if site_url and src.startswith(site_url + "/"):
        src = src[len(site_url) :]
    media_url = settings.MEDIA_URL
    if src.startswith(media_url):
        src = src[len(media_url) :]
    elif src.startswith("/") or "://" in src:
        return None
    if not src.startswith("images/") or ".." in src:
        return None
    return src


def describe_image(src: str) -> ImageDescription | None:
    """Describe a library image for the Markdown pipeline in one query.

    One row per rendition comes back from a single LEFT JOIN, so an image
    with no renditions yet (added by hand) still resolves, with an empty
    srcset.
    """
    name = media_name_from_src(src)
    if name is None:
        return None
    rows = list(
        Image.objects.filter(file=name)
        .order_by("renditions__width")
        .values(
            "id",
            "file",
            "width",
            "height",
            "alt_text",
            "caption",
            "credit",
            "renditions__width",
            "renditions__file",
        )
    )
    if not rows:
        return None
    first = rows[0]
    storage = Image._meta.get_field("file").storage
    srcset = ", ".join(
        f"{storage.url(row['renditions__file'])} {row['renditions__width']}w"
        for row in rows
        if row["renditions__file"]
    )
    return ImageDescription(
        id=first["id"],
        src=storage.url(first["file"]),
        width=first["width"],
        height=first["height"],
        srcset=srcset,
        # sizes means nothing without srcset (an animated image has none).
        sizes=getattr(settings, "AFTERWORD_IMAGE_SIZES", DEFAULT_SIZES)
        if srcset
        else "",
        alt=first["alt_text"],
        caption=first["caption"],
        credit=first["credit"],
    )


def figure_markdown(
    image: Image, *, alt: str | None = None, caption: str | None = None
) -> str:
    """The Markdown for ``image`` as a figure: the image line, then its caption.

    ``alt`` and ``caption`` default to the library's; the editor passes what
    the writer typed for this use of the image. Characters that would end
    the alt text or the address early are escaped, and the caption is kept
    to one line because the line after the image is the whole caption.
    """
    alt = " ".join((image.alt_text if alt is None else alt).split())
    alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    url = image.file.url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    caption = " ".join((image.caption if caption is None else caption).split())
    caption = _BLOCK_START.sub(r"\1\\\2", caption, count=1)
    return f"![{alt}]({url})\n{caption}" if caption else f"![{alt}]({url})"


# A caption line must stay a paragraph line: a heading, quote, list item or
# setext underline at its start would end the figure. Escape that character.
_BLOCK_START = re.compile(r"^(\d*)([#>+*=`~|-]|(?<=\d)[.)])")
