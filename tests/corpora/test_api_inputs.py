"""Material nobody here wrote, sent the way programs write to the site.

The big list of naughty strings goes in as a post's title, Markdown and tag
through the JSON API and as a Micropub entry's content and category; Pillow's
hostile test images go to the API's media upload. Every answer is a success
or a refusal in the endpoint's own error shape, never a server error, and
what was accepted comes back as it was sent.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from afterword.media.models import Image
from afterword.posts.models import Post
from tests import factories
from tests.api.conftest import ApiClient
from tests.credentials.helpers import basic_auth_header, make_app_password

pytestmark = [pytest.mark.corpora, pytest.mark.django_db]


@pytest.fixture
def api(settings):
    # Hundreds of requests from one credential, on purpose.
    settings.AFTERWORD_API_RATE_PER_MINUTE = 0
    editor = factories.writer("editor", "corpus-editor")
    client = ApiClient(basic_auth_header(editor.username, make_app_password(editor)))
    client.client.raise_request_exception = False
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def refused_in_the_api_shape(response) -> bool:
    body = response.json()
    return bool(body["error"]["code"]) and bool(body["error"]["message"])


def test_naughty_strings_as_title_text_and_tag_through_the_api(api, naughty_strings):
    findings = []
    accepted = 0
    for index, text in enumerate(naughty_strings):
        sent = {
            "title": text or "(empty)",
            "body": text,
            "tags": [text] if text else [],
        }
        sent["slug"] = f"naughty-{index}"
        response = api.post("/api/v1/posts", sent)
        if response.status_code >= 500:
            findings.append(f"{index}: {response.status_code} for {text!r}")
        elif response.status_code == 201:
            accepted += 1
            stored = Post.objects.get(pk=response.json()["id"])
            if stored.title != sent["title"] or stored.body != text:
                findings.append(f"{index}: stored {stored.title!r} for {text!r}")
            read = api.get(f"/api/v1/posts/{stored.pk}")
            if read.status_code != 200 or read.json()["title"] != sent["title"]:
                findings.append(f"{index}: read back differently: {text!r}")
        elif response.status_code != 422 or not refused_in_the_api_shape(response):
            findings.append(f"{index}: {response.status_code} without a message")
    assert findings == []
    assert accepted > len(naughty_strings) // 2


def test_naughty_strings_as_micropub_content_and_category(api, naughty_strings):
    findings = []
    for index, text in enumerate(naughty_strings):
        response = api.post(
            "/micropub",
            urlencode(
                {
                    "h": "entry",
                    "content": text,
                    "category": text,
                    "mp-slug": f"mp-{index}",
                }
            ),
            content_type="application/x-www-form-urlencoded",
        )
        if response.status_code >= 500:
            findings.append(f"{index}: {response.status_code} for {text!r}")
        elif response.status_code in (201, 202):
            if not response.headers.get("Location"):
                findings.append(f"{index}: created without a Location")
        elif response.status_code != 400 or not response.json().get("error"):
            findings.append(f"{index}: {response.status_code} without a Micropub error")
    assert findings == []


def test_pillow_test_images_through_the_api_upload(api, pillow_images, media_root):
    findings = []
    kept = 0
    for image in pillow_images:
        name = PurePosixPath(image.name).name or "image"
        before = Image.objects.count()
        response = api.post(
            "/api/v1/media",
            {"file": SimpleUploadedFile(name, image.data), "alt_text": "A test image"},
            content_type="multipart/form-data",
        )
        if response.status_code == 201:
            kept += 1
        elif response.status_code >= 500:
            findings.append(f"{image.name}: {response.status_code}")
        elif response.status_code not in (413, 422) or not refused_in_the_api_shape(
            response
        ):
            findings.append(f"{image.name}: {response.status_code} without a message")
        elif Image.objects.count() != before:
            findings.append(f"{image.name}: refused but stored")
    assert findings == []
    assert kept > 0
