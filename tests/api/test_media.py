"""Uploads through the media app's UploadImage: images only, no bombs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from afterword.media.models import Image
from tests.media.images import bomb_png, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(api, data: bytes, name="still.png", **words):
    return api.post(
        "/api/v1/media",
        {"file": SimpleUploadedFile(name, data), **words},
        content_type="multipart/form-data",
    )


def test_an_image_is_uploaded_described_and_deleted(api_as, media_root):
    api = api_as("author")
    made = upload(api, image_bytes(size=(640, 400)), alt_text="A still", caption="Hi")
    assert made.status_code == 201, made.content
    image = made.json()
    assert (image["width"], image["height"]) == (640, 400)
    assert image["alt_text"] == "A still"
    assert image["uploaded_by"] == api.user.username
    assert (media_root / image["url"].removeprefix("/media/")).exists()

    url = f"/api/v1/media/{image['id']}"
    tag = api.get(url)["ETag"]
    changed = api.patch(url, {"caption": "A better caption"}, headers={"If-Match": tag})
    assert changed.status_code == 200
    assert changed.json()["caption"] == "A better caption"
    stale = api.patch(url, {"caption": "Lost"}, headers={"If-Match": tag})
    assert stale.status_code == 412
    assert Image.objects.get().caption == "A better caption"

    listed = api.get("/api/v1/media").json()
    assert [i["id"] for i in listed["items"]] == [image["id"]]
    # Authors add images; deleting one from the library is an editor's call.
    assert api.delete(url).status_code == 403
    assert api_as("editor").delete(url).status_code == 204
    assert not Image.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(api_as):
    response = upload(api_as("author"), b"<?php echo 'hello'; ?>", name="x.png")
    assert response.status_code == 422
    assert "file" in response.json()["error"]["fields"]
    assert not Image.objects.exists()


def test_a_decompression_bomb_is_refused(api_as):
    response = upload(api_as("author"), bomb_png(), name="bomb.png")
    assert response.status_code == 422
    assert "megapixels" in response.json()["error"]["message"]
    assert not Image.objects.exists()


def test_an_upload_over_the_media_limit_is_413(api_as, settings):
    settings.AFTERWORD_MAX_UPLOAD_BYTES = 50_000
    response = upload(api_as("author"), b"\x89PNG" + b"0" * 200_000)
    assert response.status_code == 413
    assert not Image.objects.exists()


def test_a_contributor_cannot_upload(api_as):
    response = upload(api_as("contributor"), image_bytes(size=(20, 20)))
    assert response.status_code == 403
    assert not Image.objects.exists()


def test_unknown_words_are_refused(api_as):
    api = api_as("editor")
    image = upload(api, image_bytes(size=(20, 20))).json()
    response = api.patch(f"/api/v1/media/{image['id']}", {"tags": ["x"]})
    assert response.status_code == 422
    assert "tags" in response.json()["error"]["fields"]
