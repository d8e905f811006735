"""Taking images into the library: checks, renditions, srcset, dedupe."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from afterword.media import services
from afterword.media.models import Image, Rendition

from .images import bomb_png, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [
        ("JPEG", "image/jpeg", ".jpg"),
        ("PNG", "image/png", ".png"),
        ("WEBP", "image/webp", ".webp"),
        ("GIF", "image/gif", ".gif"),
    ],
)
def test_each_accepted_format_is_stored_with_its_size_and_type(fmt, mime, extension):
    image = services.ingest_upload(upload(fmt, (1000, 600)), alt_text="A still")

    assert (image.width, image.height) == (1000, 600)
    assert image.mime_type == mime
    assert image.file.name.startswith("images/")
    assert image.file.name.endswith(extension)
    assert image.alt_text == "A still"
    with default_storage.open(image.file.name) as stored:
        assert PILImage.open(stored).format == fmt
    assert [r.width for r in image.renditions.all()] == [480, 960, 1000]


def test_renditions_are_webp_at_their_width_and_never_upscaled():
    image = services.ingest_upload(upload("PNG", (2000, 1000)))

    renditions = list(image.renditions.all())
    assert [(r.width, r.height) for r in renditions] == [
        (480, 240),
        (960, 480),
        (1600, 800),
    ]
    for rendition in renditions:
        with default_storage.open(rendition.file.name) as stored:
            opened = PILImage.open(stored)
            assert opened.format == "WEBP"
            assert opened.size == (rendition.width, rendition.height)


def test_a_small_image_gets_one_rendition_at_its_own_width():
    image = services.ingest_upload(upload("JPEG", (300, 200)))

    assert [(r.width, r.height) for r in image.renditions.all()] == [(300, 200)]


def test_the_same_file_uploaded_twice_reuses_the_image(media_root):
    first = services.ingest_upload(upload("PNG", (800, 600), name="a.png"))
    again = services.ingest_upload(
        upload("PNG", (800, 600), name="b.png"), alt_text="Filled in later"
    )

    assert again.pk == first.pk
    assert Image.objects.count() == 1
    assert Rendition.objects.count() == 2
    assert len(stored_files(media_root)) == 3
    first.refresh_from_db()
    assert first.alt_text == "Filled in later"


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_text_file_named_like_an_image_is_refused_and_nothing_is_stored(media_root):
    fake = SimpleUploadedFile("cat.png", b"I am not a picture at all", "image/png")

    with pytest.raises(ValidationError) as error:
        services.ingest_upload(fake)

    assert error.value.messages == ["This file is not a JPEG, PNG, WebP or GIF image."]
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_truncated_image_is_refused():
    data = upload("JPEG", (800, 600)).read()
    broken = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], "image/jpeg")

    with pytest.raises(ValidationError) as error:
        services.ingest_upload(broken)

    assert error.value.messages == ["This file is not a JPEG, PNG, WebP or GIF image."]
    assert Image.objects.count() == 0


def test_another_image_format_is_refused():
    out = io.BytesIO()
    PILImage.new("RGB", (40, 40)).save(out, "BMP")
    bmp = SimpleUploadedFile("old.bmp", out.getvalue(), "image/bmp")

    with pytest.raises(ValidationError) as error:
        services.ingest_upload(bmp)

    assert error.value.messages == ["This file is not a JPEG, PNG, WebP or GIF image."]


def test_a_file_over_the_size_limit_is_refused(settings, media_root):
    settings.AFTERWORD_MAX_UPLOAD_BYTES = 2048
    big = upload("PNG", (600, 600))
    assert 2048 < big.size <= 3072

    with pytest.raises(ValidationError) as error:
        services.ingest_upload(big)

    assert error.value.code == "too_large"
    assert error.value.messages == ["This file is 3 KB; images may be at most 2 KB."]
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_decompression_bomb_is_refused_before_decoding(media_root):
    bomb = SimpleUploadedFile("bomb.png", bomb_png(), "image/png")

    with pytest.raises(ValidationError) as error:
        services.ingest_upload(bomb)

    assert error.value.messages == [
        "This image is 10000×10000 pixels; images may have at most 50 megapixels."
    ]
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_describe_image_gives_size_srcset_and_library_alt_in_one_query(
    django_assert_num_queries,
):
    image = services.ingest_upload(upload("PNG", (1200, 600)), alt_text="Two figures")
    renditions = list(image.renditions.all())

    with django_assert_num_queries(1):
        described = services.describe_image(image.file.url)

    assert described.width == 1200
    assert described.height == 600
    assert described.alt == "Two figures"
    assert described.srcset == ", ".join(f"{r.file.url} {r.width}w" for r in renditions)
    assert described.srcset.endswith(" 1200w")
    assert described.sizes == services.DEFAULT_SIZES


def test_describe_image_knows_nothing_of_other_addresses(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.describe_image("https://example.com/cat.png") is None
        assert services.describe_image("/static/afterword/logo.png") is None
    with django_assert_num_queries(1):
        assert services.describe_image("/media/images/2024/01/missing.png") is None


def test_figure_markdown_puts_the_caption_on_the_line_after_the_image():
    image = services.ingest_upload(
        upload("PNG", (640, 480)), alt_text="A [bracketed] cat", caption="Our cat"
    )

    assert services.figure_markdown(image) == (
        f"![A \\[bracketed\\] cat]({image.file.url})\nOur cat"
    )


def test_an_animated_gif_keeps_its_animation_and_gets_no_still_renditions():
    colors = [(200, 30, 30), (30, 200, 30), (30, 30, 200)]
    frames = [PILImage.new("RGB", (500, 300), color) for color in colors]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    gif = SimpleUploadedFile("loop.gif", out.getvalue(), "image/gif")

    image = services.ingest_upload(gif, alt_text="A looping clip")

    assert image.renditions.count() == 0
    described = services.describe_image(image.file.url)
    assert (described.width, described.height, described.srcset) == (500, 300, "")
    with default_storage.open(image.file.name) as stored:
        assert PILImage.open(stored).n_frames == 3


@pytest.mark.parametrize(
    "caption",
    ["# 1 in the series", "- Left: the poster", "1. The first frame", "=== end ==="],
)
def test_a_caption_that_looks_like_markdown_stays_the_figure_caption(caption):
    from afterword.core.markdown import render_markdown

    image = services.ingest_upload(upload("PNG", (300, 200)), alt_text="Poster")

    html = render_markdown(services.figure_markdown(image, caption=caption)).html

    assert f"<figcaption>{caption}</figcaption>" in html


def test_a_photo_turned_by_exif_is_measured_and_rendered_upright():
    photo = PILImage.new("RGB", (800, 600), (90, 120, 150))
    exif = photo.getexif()
    exif[0x0112] = 6  # Rotate 90° clockwise to display.
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif)
    upload_file = SimpleUploadedFile("phone.jpg", out.getvalue(), "image/jpeg")

    image = services.ingest_upload(upload_file)

    assert (image.width, image.height) == (600, 800)
    image.refresh_from_db()
    assert (image.width, image.height) == (600, 800)
    assert [(r.width, r.height) for r in image.renditions.all()] == [
        (480, 640),
        (600, 800),
    ]
