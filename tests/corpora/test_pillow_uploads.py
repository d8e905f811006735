"""Pillow's own hostile test images, uploaded as a writer uploads images.

Pillow keeps, in ``Tests/images``, the files that once crashed it, hung it
or made it allocate without bound (``crash-*``, ``timeout-*``, ``oom-*``),
decompression bombs, truncated and malformed files, and ordinary images of
every format it reads. Each hostile file and a sample of the ordinary ones
goes through the editor's upload endpoint and the media library's "add
image" form in the admin. Each upload must end in an image in the library
or a refusal with a message (400 from the endpoint, the form shown again):
never a server error, never longer than ``SECONDS_PER_FILE``, and a refused
file leaves nothing in media storage.
"""

from __future__ import annotations

import faulthandler
import time
from pathlib import Path, PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from afterword.media.models import Image

from .forms import form_errors, form_fields

pytestmark = [pytest.mark.corpora, pytest.mark.django_db]

SECONDS_PER_FILE = 10
# Past this the process is stopped with every thread's traceback printed: a
# decoder stuck in C cannot be interrupted any other way.
HARD_STOP_SECONDS = 120


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def as_upload(image) -> SimpleUploadedFile:
    name = PurePosixPath(image.name).name or "image"
    return SimpleUploadedFile(name, image.data, "application/octet-stream")


class Timed:
    """Times one upload and stops the whole run if it never returns."""

    def __init__(self, label: str, slow: list[str]):
        self.label = label
        self.slow = slow

    def __enter__(self):
        faulthandler.dump_traceback_later(HARD_STOP_SECONDS, exit=True)
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        faulthandler.cancel_dump_traceback_later()
        took = time.monotonic() - self.started
        if took > SECONDS_PER_FILE:
            self.slow.append(f"{self.label} took {took:.1f} s")


def test_editor_upload_keeps_or_refuses_every_pillow_test_image(
    client, writer, pillow_images, media_root, tally
):
    client.force_login(writer)
    # A server error is a finding to list with the others, not a stop.
    client.raise_request_exception = False
    found, slow, kept, refused = [], [], 0, 0
    for image in pillow_images:
        before = stored_files(media_root)
        images_before = Image.objects.count()
        with Timed(image.name, slow):
            response = client.post(
                reverse("admin:media_image_upload"),
                {"file": as_upload(image), "alt_text": "A test image"},
            )
        if response.status_code == 200:
            kept += 1
            stored = Image.objects.filter(pk=response.json()["id"]).first()
            if stored is None or not stored.file.storage.exists(stored.file.name):
                found.append(f"{image.name}: accepted but not in the library")
        elif response.status_code == 400:
            refused += 1
            if not response.json().get("error"):
                found.append(f"{image.name}: refused without a message")
            if stored_files(media_root) != before:
                found.append(f"{image.name}: refused but left files in storage")
            if Image.objects.count() != images_before:
                found.append(f"{image.name}: refused but left a library entry")
        else:
            found.append(f"{image.name}: answered {response.status_code}")
    tally("pillow", files=len(pillow_images))

    assert found == [], "\n".join(found)
    assert slow == [], "\n".join(slow)
    assert kept + refused == len(pillow_images)
    assert refused >= sum(image.hostile for image in pillow_images) // 2


def test_admin_add_image_form_keeps_or_refuses_every_hostile_pillow_image(
    client, writer, pillow_images, media_root
):
    client.force_login(writer)
    client.raise_request_exception = False
    add_url = reverse("admin:media_image_add")
    blank = form_fields(client.get(add_url).content.decode(), "image_form")
    found, slow = [], []
    for image in (image for image in pillow_images if image.hostile):
        before = stored_files(media_root)
        fields = {**blank, "alt_text": ["A test image"], "upload": as_upload(image)}
        with Timed(image.name, slow):
            response = client.post(add_url, fields)
        if response.status_code == 302:
            continue
        if response.status_code != 200:
            found.append(f"{image.name}: answered {response.status_code}")
            continue
        if not form_errors(response.content.decode()):
            found.append(f"{image.name}: form shown again without a message")
        if "A test image" not in response.content.decode():
            found.append(f"{image.name}: the alt text typed was lost")
        if stored_files(media_root) != before:
            found.append(f"{image.name}: refused but left files in storage")

    assert found == [], "\n".join(found)
    assert slow == [], "\n".join(slow)
