"""Media in an S3-compatible bucket (moto's server on loopback), not on disk.

Uploads, renditions, serving, backups and the static build all go through
the storage API, so with ``AFTERWORD_MEDIA_S3_BUCKET`` set nothing is
written to or read from ``MEDIA_ROOT``.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from afterword.media.models import Image
from afterword.media.services import ingest_upload
from afterword.portability.exporters.backup import export_backup
from afterword.portability.staticsite import build_site

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (800, 500), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def uploaded(media_bucket, media_root):
    return ingest_upload(ContentFile(jpeg(), name="sunset.jpg"), alt_text="Sunset")


def test_an_upload_and_its_renditions_land_in_the_bucket_not_on_disk(
    uploaded,
    media_bucket,
    moto_server,
    media_root,
):
    keys = moto_server.keys(media_bucket)
    names = {uploaded.file.name} | {r.file.name for r in uploaded.renditions.all()}
    assert len(names) > 1
    assert set(keys) == names
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_the_site_serves_a_bucket_file_at_its_media_address(uploaded, client):
    url = uploaded.file.url
    assert url == f"/media/{uploaded.file.name}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == uploaded.file.open("rb").read()
    assert client.get("/media/images/nothing-here.jpg").status_code == 404
    assert client.get("/media/../secret_key").status_code == 404


def test_a_public_address_links_to_it_directly(media_bucket, settings, media_root):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "custom_domain": "media.example.org",
                "url_protocol": "https:",
            },
        },
    }
    image = ingest_upload(ContentFile(jpeg(), name="dawn.jpg"))
    assert image.file.url == f"https://media.example.org/{image.file.name}"


def test_a_backup_holds_the_bucket_files(uploaded, tmp_path):
    target = tmp_path / "site.zip"
    summary = export_backup(target)
    with zipfile.ZipFile(target) as archive:
        packed = {
            name.removeprefix("media/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("media/")
        }
    expected = [uploaded.file] + [r.file for r in uploaded.renditions.all()]
    assert summary.files == len(expected)
    for stored in expected:
        with stored.open("rb") as handle:
            assert packed[stored.name] == handle.read()


def test_the_static_build_copies_the_bucket_files(uploaded, tmp_path):
    build_site(tmp_path / "site")
    with uploaded.file.open("rb") as handle:
        original = handle.read()
    assert (tmp_path / "site" / "media" / uploaded.file.name).read_bytes() == original
    assert Image.objects.count() == 1
