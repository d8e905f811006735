"""``afterword strip-photo-metadata``: cleaning a library uploaded before 0.1."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image as PILImage

from afterword.media import services
from afterword.media.models import Image, Rendition
from tests.factories import UserFactory

from .images import (
    CAMERA_SERIAL,
    camera_data_in,
    camera_exif,
    gps_jpeg,
    image_bytes,
    located_png,
    quadrants,
)

pytestmark = pytest.mark.django_db


def read(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def commented_gif() -> bytes:
    frames = [PILImage.new("RGB", (90, 60), c) for c in [(200, 0, 0), (0, 0, 200)]]
    out = io.BytesIO()
    frames[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[120, 240],
        loop=0,
        comment=b"Taken on the balcony at home",
    )
    return out.getvalue()


@pytest.fixture
def old_library(settings, post_factory):
    """Files stored as uploaded, the way Afterword did before issue 11."""
    settings.AFTERWORD_KEEP_CAMERA_DATA = True
    photo = services.ingest_upload(
        SimpleUploadedFile("IMG_0042.jpg", gps_jpeg(size=(600, 900))),
        alt_text="A balcony",
    )
    screenshot = services.ingest_upload(
        SimpleUploadedFile("shot.png", located_png()), alt_text="A street"
    )
    loop = services.ingest_upload(
        SimpleUploadedFile("loop.gif", commented_gif()), alt_text="A loop"
    )
    author = UserFactory(username="critic")
    author.avatar = ContentFile(gps_jpeg(size=(200, 300)), name="me.jpg")
    author.save()
    scanned = io.BytesIO()
    quadrants((120, 90)).save(scanned, "TIFF", exif=camera_exif(orientation=1))
    reader = UserFactory(username="reader")
    reader.avatar = ContentFile(scanned.getvalue(), name="scan.tif")
    reader.save()
    settings.AFTERWORD_KEEP_CAMERA_DATA = False
    plain = services.ingest_upload(
        SimpleUploadedFile("plain.png", image_bytes("PNG", (300, 200))),
        alt_text="Plain",
    )
    post = post_factory(
        title="Where it was filmed",
        body=f"![]({photo.file.url})\nThe balcony",
        status="published",
        author=author,
    )
    for stored in (photo.file.name, screenshot.file.name, loop.file.name):
        assert camera_data_in(read(stored)), stored
    assert camera_data_in(read(author.avatar.name))
    return {
        "photo": photo,
        "screenshot": screenshot,
        "loop": loop,
        "plain": plain,
        "author": author,
        "reader": reader,
        "post": post,
    }


def strip(*args: str) -> str:
    out = StringIO()
    call_command("strip_photo_metadata", *args, stdout=out)
    return out.getvalue()


def test_strip_photo_metadata_re_encodes_old_files_in_place_and_only_once(
    old_library,
):
    names = {
        key: image.file.name
        for key, image in old_library.items()
        if key in ("photo", "screenshot", "loop", "plain")
    }
    plain_before = read(names["plain"])
    renditions = Rendition.objects.count()

    first = strip()
    again = strip()

    assert first.splitlines() == [
        "Library originals: 4 checked, 3 re-encoded without camera data.",
        f"Renditions: {renditions} checked, 0 re-encoded without camera data.",
        "Avatars: 2 checked, 2 re-encoded without camera data.",
    ]
    assert again.splitlines() == [
        "Library originals: 4 checked, 0 re-encoded without camera data.",
        f"Renditions: {renditions} checked, 0 re-encoded without camera data.",
        "Avatars: 2 checked, 0 re-encoded without camera data.",
    ]
    # Same names and addresses, clean bytes, rows that match the files.
    for key, name in names.items():
        image = Image.objects.get(pk=old_library[key].pk)
        assert image.file.name == name
        data = read(name)
        assert camera_data_in(data) == []
        assert image.bytes == len(data)
        with PILImage.open(io.BytesIO(data)) as picture:
            assert picture.size == (image.width, image.height)
    assert read(names["plain"]) == plain_before
    with PILImage.open(default_storage.open(names["photo"])) as photo:
        assert photo.size == (900, 600)
    with PILImage.open(default_storage.open(names["loop"])) as loop:
        assert (loop.n_frames, loop.info["loop"]) == (2, 0)
    author = old_library["author"]
    author.refresh_from_db()
    assert author.avatar.name == old_library["author"].avatar.name
    assert camera_data_in(read(author.avatar.name)) == []
    # A TIFF avatar is now a PNG beside it, and the TIFF is gone.
    reader = old_library["reader"]
    tiff = reader.avatar.name
    reader.refresh_from_db()
    assert reader.avatar.name == tiff.removesuffix(".tif") + ".png"
    assert camera_data_in(read(reader.avatar.name)) == []
    assert not default_storage.exists(tiff)
    # The post still shows the photo at the same address, now clean.
    reader = Client()
    page = reader.get(old_library["post"].get_absolute_url()).content.decode()
    assert f'src="{old_library["photo"].file.url}"' in page
    served = b"".join(reader.get(old_library["photo"].file.url).streaming_content)
    assert camera_data_in(served) == []


def test_a_dry_run_lists_the_files_and_changes_nothing(old_library):
    photo = old_library["photo"]
    before = read(photo.file.name)

    output = strip("--dry-run")

    assert f"  {photo.file.name}" in output.splitlines()
    assert "Library originals: 4 checked, 3 carry camera data." in output
    assert read(photo.file.name) == before


def test_it_refuses_to_run_while_the_site_keeps_camera_data(old_library, settings):
    settings.AFTERWORD_KEEP_CAMERA_DATA = True

    with pytest.raises(CommandError, match="AFTERWORD_KEEP_CAMERA_DATA is on"):
        strip()

    assert camera_data_in(read(old_library["photo"].file.name))


def test_a_missing_file_is_reported_and_the_others_are_still_cleaned(old_library):
    missing = old_library["screenshot"].file.name
    default_storage.delete(missing)
    errors = StringIO()

    with pytest.raises(CommandError, match="1 file"):
        call_command("strip_photo_metadata", stdout=StringIO(), stderr=errors)

    assert f"Left as it was: {missing}: the file is missing" in errors.getvalue()
    assert camera_data_in(read(old_library["photo"].file.name)) == []


def test_camera_data_pillow_does_not_read_is_found_and_removed_too(settings):
    """A PNG ``tIME`` stamp and private chunk, bytes after a JPEG's end."""
    from PIL import PngImagePlugin

    chunks = PngImagePlugin.PngInfo()
    chunks.add(b"tIME", bytes([7, 232, 5, 17, 18, 42, 7]))
    chunks.add(b"prVt", CAMERA_SERIAL.encode())
    out = io.BytesIO()
    quadrants((200, 100)).save(out, "PNG", pnginfo=chunks)
    png = out.getvalue()
    out = io.BytesIO()
    quadrants((200, 100)).save(out, "JPEG")
    jpeg = out.getvalue() + b"SEFH" + CAMERA_SERIAL.encode()
    settings.AFTERWORD_KEEP_CAMERA_DATA = True
    stored = [
        services.ingest_upload(SimpleUploadedFile(name, data)).file.name
        for name, data in (("time.png", png), ("tail.jpg", jpeg))
    ]
    settings.AFTERWORD_KEEP_CAMERA_DATA = False
    # Pillow itself sees nothing in either file.
    for name in stored:
        with PILImage.open(default_storage.open(name)) as picture:
            assert (dict(picture.getexif()), picture.info.get("comment")) == ({}, None)

    output = strip()

    assert "Library originals: 2 checked, 2 re-encoded" in output
    for name in stored:
        data = read(name)
        assert CAMERA_SERIAL.encode() not in data
    assert b"tIME" not in read(stored[0])
