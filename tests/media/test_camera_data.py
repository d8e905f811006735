"""What re-encoding at upload keeps (pixels, colour, animation) and drops."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageChops, ImageCms, ImageSequence, ImageStat, JpegImagePlugin

from afterword.core.camera_data import camera_data_found, strip_camera_data
from afterword.media import services
from afterword.media.models import Image

from .images import (
    QUADRANT_COLOURS,
    camera_data_in,
    camera_exif,
    gps_jpeg,
    image_bytes,
    located_png,
    quadrants,
)

pytestmark = pytest.mark.django_db


def stored_bytes(image: Image) -> bytes:
    with default_storage.open(image.file.name) as handle:
        return handle.read()


def opened(data: bytes) -> PILImage.Image:
    picture = PILImage.open(io.BytesIO(data))
    picture.load()
    return picture


def add_in_admin(client, data: bytes, name: str, alt: str = "A picture") -> Image:
    response = client.post(
        reverse("admin:media_image_add"),
        {"upload": SimpleUploadedFile(name, data), "alt_text": alt, "title": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get(alt_text=alt)


def test_keeping_camera_data_stores_the_photo_as_uploaded(client, writer, settings):
    """The switch is real: on, the file keeps its GPS (and is turned by browsers)."""
    settings.AFTERWORD_KEEP_CAMERA_DATA = True
    upload = gps_jpeg(size=(600, 900))
    client.force_login(writer)

    image = add_in_admin(client, upload, "IMG_0042.jpg")

    kept = stored_bytes(image)
    assert kept == upload
    assert opened(kept).getexif().get_ifd(0x8825)[1] == "N"
    # Measured as shown, and the renditions are upright and clean.
    assert (image.width, image.height) == (900, 600)
    renditions = list(image.renditions.all())
    assert [(r.width, r.height) for r in renditions] == [(480, 320), (900, 600)]
    for rendition in renditions:
        with default_storage.open(rendition.file.name) as handle:
            assert camera_data_in(handle.read()) == []


def test_camera_data_is_dropped_by_default(client, writer):
    client.force_login(writer)

    image = add_in_admin(client, gps_jpeg(size=(600, 900)), "IMG_0042.jpg")

    stored = opened(stored_bytes(image))
    assert camera_data_in(stored_bytes(image)) == []
    assert stored.getexif().get_ifd(0x8825) == {}
    assert stored.applist == [("APP0", stored.applist[0][1])]  # JFIF only


def centre_colours(picture: PILImage.Image) -> dict[str, tuple[int, int, int]]:
    width, height = picture.size
    spots = {
        "top-left": (width // 4, height // 4),
        "top-right": (3 * width // 4, height // 4),
        "bottom-left": (width // 4, 3 * height // 4),
        "bottom-right": (3 * width // 4, 3 * height // 4),
    }
    return {corner: picture.convert("RGB").getpixel(xy) for corner, xy in spots.items()}


def near(colour, expected, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def test_a_sideways_phone_photo_is_stored_upright_without_an_orientation_tag():
    """Orientation 6: the sensor's top-left corner is shown at the top right."""
    photo = SimpleUploadedFile("phone.jpg", gps_jpeg(size=(400, 300)))

    image = services.ingest_upload(photo, alt_text="Turned")

    stored = opened(stored_bytes(image))
    assert stored.size == (300, 400) == (image.width, image.height)
    assert 0x0112 not in stored.getexif()
    shown = centre_colours(stored)
    turned = {
        "top-right": "top-left",
        "bottom-right": "top-right",
        "bottom-left": "bottom-right",
        "top-left": "bottom-left",
    }
    for corner, source_corner in turned.items():
        assert near(shown[corner], QUADRANT_COLOURS[source_corner]), corner
    rendition = image.renditions.get(width=300)
    with default_storage.open(rendition.file.name) as handle:
        small = centre_colours(opened(handle.read()))
    assert all(near(small[corner], shown[corner]) for corner in shown)


def animation(fmt: str) -> bytes:
    """Three frames, each its own length, looping forever, with a comment."""
    frames = []
    for step, colour in enumerate([(200, 30, 30), (30, 200, 30), (30, 30, 200)]):
        frame = PILImage.new("RGBA", (120, 80), (0, 0, 0, 0))
        frame.paste(colour + (255,), (step * 30, 10, step * 30 + 50, 60))
        frames.append(frame)
    extra = {"comment": b"Taken on the balcony at home"} if fmt == "GIF" else {}
    if fmt == "WEBP":
        extra = {"exif": camera_exif(), "lossless": True}
    out = io.BytesIO()
    frames[0].save(
        out,
        fmt,
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        **extra,
    )
    return out.getvalue()


def frames_of(data: bytes) -> tuple[list[PILImage.Image], list[int], dict]:
    picture = PILImage.open(io.BytesIO(data))
    frames, durations = [], []
    for frame in ImageSequence.Iterator(picture):
        frames.append(frame.convert("RGBA"))
        durations.append(int(frame.info.get("duration", 0)))
    return frames, durations, dict(picture.info)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_an_animation_keeps_every_frame_its_timing_and_loop(fmt):
    upload = animation(fmt)
    assert fmt == "PNG" or camera_data_in(upload)

    image = services.ingest_upload(
        SimpleUploadedFile(f"loop.{fmt.lower()}", upload), alt_text="A loop"
    )

    kept = stored_bytes(image)
    assert camera_data_in(kept) == []
    before, before_durations, _ = frames_of(upload)
    after, after_durations, info = frames_of(kept)
    assert len(after) == 3
    assert after_durations == before_durations == [100, 200, 300]
    assert info["loop"] == 0
    changed = [
        ImageChops.difference(a, b).getbbox()
        for a, b in zip(before, after, strict=True)
    ]
    assert changed == [None, None, None]
    assert image.renditions.count() == 0


def test_a_jpeg_keeps_its_quantisation_tables_and_subsampling():
    """So a screenshot is not softened and a small file does not grow."""
    upload = gps_jpeg(size=(640, 480), orientation=1)
    source = opened(upload)

    image = services.ingest_upload(SimpleUploadedFile("shot.jpg", upload))

    stored = opened(stored_bytes(image))
    assert stored.quantization == source.quantization
    assert JpegImagePlugin.get_sampling(stored) == JpegImagePlugin.get_sampling(source)
    difference = ImageChops.difference(source.convert("RGB"), stored.convert("RGB"))
    # Under one level in 255 on average: the loss of decoding and encoding
    # once more with the same tables, not of a lower quality.
    assert max(ImageStat.Stat(difference).mean) < 1.0
    assert len(stored_bytes(image)) < len(upload)


def test_png_and_lossless_webp_keep_every_pixel_and_the_png_gamma():
    located = located_png()
    assert camera_data_in(located)
    picture = quadrants((300, 200))
    out = io.BytesIO()
    picture.save(out, "WEBP", lossless=True, exif=camera_exif(orientation=1))
    webp = out.getvalue()
    out = io.BytesIO()
    picture.save(out, "PNG", pnginfo=_gamma_chunk(0.45455))
    gamma_png = out.getvalue()

    images = [
        services.ingest_upload(SimpleUploadedFile(name, data))
        for name, data in (("a.png", located), ("b.webp", webp), ("c.png", gamma_png))
    ]

    for image, data in zip(images, (located, webp, gamma_png), strict=True):
        kept = stored_bytes(image)
        assert camera_data_in(kept) == []
        assert ImageChops.difference(opened(data), opened(kept)).getbbox() is None
    assert opened(stored_bytes(images[2])).info["gamma"] == pytest.approx(0.45455)


def _gamma_chunk(gamma: float):
    from PIL import PngImagePlugin

    chunks = PngImagePlugin.PngInfo()
    chunks.add(b"gAMA", round(gamma * 100_000).to_bytes(4, "big"))
    return chunks


def test_the_colour_profile_is_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    quadrants((320, 240)).save(
        out, "JPEG", icc_profile=profile, exif=camera_exif(orientation=1)
    )

    image = services.ingest_upload(SimpleUploadedFile("colour.jpg", out.getvalue()))

    stored = opened(stored_bytes(image))
    assert stored.info["icc_profile"] == profile
    assert camera_data_in(stored_bytes(image)) == []


def test_the_same_photo_uploaded_again_returns_the_existing_image(media_root):
    upload = gps_jpeg(size=(600, 400), orientation=1)

    first = services.ingest_upload(SimpleUploadedFile("a.jpg", upload))
    again = services.ingest_upload(
        SimpleUploadedFile("b.jpg", upload), alt_text="Filled in later"
    )

    assert again.pk == first.pk
    assert Image.objects.count() == 1
    # Known by the digest of what was uploaded; what is stored differs.
    assert first.sha256 == hashlib.sha256(upload).hexdigest()
    assert stored_bytes(first) != upload
    assert first.bytes == len(stored_bytes(first))
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == [
        "a-480w.webp",
        "a-600w.webp",
        "a.jpg",
    ]


def test_a_plain_image_without_camera_data_is_unchanged_in_size_and_format():
    image = services.ingest_upload(
        SimpleUploadedFile("plain.gif", image_bytes("GIF", (200, 100)))
    )

    stored = opened(stored_bytes(image))
    assert (stored.format, stored.size) == ("GIF", (200, 100))


def _saved(picture: PILImage.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


VARIANTS = {
    "progressive JPEG": lambda: _saved(quadrants((300, 200)), "JPEG", progressive=True),
    "JPEG with restarts": lambda: _saved(
        quadrants((300, 200)), "JPEG", restart_marker_blocks=4
    ),
    "CMYK JPEG": lambda: _saved(quadrants((300, 200)).convert("CMYK"), "JPEG"),
    "grey PNG": lambda: _saved(quadrants((300, 200)).convert("L"), "PNG"),
    "paletted PNG": lambda: _saved(
        quadrants((300, 200)).convert("P"), "PNG", transparency=0
    ),
    "lossy WebP": lambda: _saved(quadrants((300, 200)), "WEBP", quality=70),
    "GIF": lambda: _saved(quadrants((300, 200)).convert("P"), "GIF", transparency=0),
    "animated lossy WebP": lambda: _saved(
        quadrants((120, 80)),
        "WEBP",
        save_all=True,
        append_images=[quadrants((120, 80)).rotate(180)],
        duration=[80, 160],
        quality=70,
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_what_re_encoding_writes_is_found_clean_so_the_command_leaves_it(variant):
    """``strip-photo-metadata`` skips a file it finds clean: the files upload
    writes must be found clean, or the command would re-encode them forever."""
    data = VARIANTS[variant]()
    picture = opened(data)

    clean = strip_camera_data(data, picture, picture.format)

    assert camera_data_found(opened(clean.data), clean.data) == []
    assert opened(clean.data).mode == picture.mode
