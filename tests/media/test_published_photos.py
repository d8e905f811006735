"""A photo with camera data, uploaded in the admin, is published without it.

The path a writer takes: the media library's add form, then a post written
and published in the admin that shows the photo as a figure and as its
featured image. Every image address the public pages and feeds print is then
fetched as an anonymous reader and read back with Pillow, and so is every
image file of the static build.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from afterword.media.models import Image
from afterword.posts.models import Post, Tag

from .images import camera_data_in, gps_jpeg, located_png

pytestmark = pytest.mark.django_db

# An address under /media/, with or without the site's origin in front.
MEDIA_ADDRESS = re.compile(r"""(?:https?://[^/\s"'<>]+)?(/media/[^\s"'<>,)]+)""")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


@pytest.fixture(autouse=True)
def _plain_post_form(settings):
    """The post form without other apps' inlines (their own tests post those)."""
    settings.AFTERWORD_POST_ADMIN_INLINES = []
    settings.SITE_URL = "http://127.0.0.1:8000"


def add_in_library(desk: Client, data: bytes, name: str, alt: str) -> Image:
    response = desk.post(
        reverse("admin:media_image_add"),
        {
            "upload": SimpleUploadedFile(name, data, "image/jpeg"),
            "title": "",
            "alt_text": alt,
            "caption": "",
            "credit": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get(alt_text=alt)


def publish_in_admin(desk: Client, writer, photo: Image, screenshot: Image) -> Post:
    response = desk.post(
        reverse("admin:posts_tag_add"),
        {"name": "On location", "slug": "on-location", "description": ""},
    )
    assert response.status_code == 302
    tag = Tag.objects.get(name="On location")
    body = (
        "We went to the place the film was shot.\n\n"
        f"![]({photo.file.url})\nThe balcony, today\n\n"
        f"![]({screenshot.file.url})\nThe same view in the film"
    )
    response = desk.post(
        reverse("admin:posts_post_add"),
        {
            "title": "Where it was filmed",
            "slug": "where-it-was-filmed",
            "body": body,
            "excerpt": "",
            "status": Post.Status.PUBLISHED,
            "published_at": "",
            "author": writer.pk,
            "comments_open": "on",
            "tags": [tag.pk],
            "featured_image": photo.pk,
            "revision_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Post.objects.get(slug="where-it-was-filmed")


def media_paths(text: str) -> set[str]:
    return {match.group(1) for match in MEDIA_ADDRESS.finditer(text)}


def test_a_gps_photo_uploaded_in_the_admin_is_served_nowhere_with_camera_data(
    client, writer, tmp_path
):
    upload = gps_jpeg()
    assert camera_data_in(upload), "the test photo must carry camera data"
    client.force_login(writer)
    photo = add_in_library(client, upload, "IMG_0042.jpg", "A balcony over a street")
    screenshot = add_in_library(
        client, located_png(), "screenshot.png", "The street in the film"
    )
    post = publish_in_admin(client, writer, photo, screenshot)

    reader = Client()
    pages = [
        post.get_absolute_url(),
        reverse("posts:home"),
        reverse("posts:tag", kwargs={"slug": post.tags.get().slug}),
        reverse("posts:author", kwargs={"username": writer.username}),
        "/feed/",
        "/feed/atom/",
    ]
    served: set[str] = set()
    for page in pages:
        response = reader.get(page)
        assert response.status_code == 200, page
        served |= media_paths(response.content.decode())

    post_page = reader.get(post.get_absolute_url()).content.decode()
    # The original itself is published: as og:image, as the largest srcset
    # candidate (1800 px wide, more than the 1600 px rendition) and as src.
    assert (
        f'<meta property="og:image" content="http://127.0.0.1:8000{photo.file.url}"'
        in post_page
    )
    assert f"{photo.file.url} 1800w" in post_page
    assert f'src="{photo.file.url}"' in post_page
    assert f'src="{screenshot.file.url}"' in post_page
    renditions = {r.file.url for r in photo.renditions.all()} | {
        r.file.url for r in screenshot.renditions.all()
    }
    assert {photo.file.url, screenshot.file.url} | renditions <= served

    findings = {}
    for path in sorted(served):
        response = reader.get(path)
        assert response.status_code == 200, path
        data = b"".join(response.streaming_content)
        findings[path] = camera_data_in(data)
    assert findings == {path: [] for path in served}
    assert len(served) == 7  # two originals, 3 + 2 renditions

    outdir = tmp_path / "public"
    call_command("build", str(outdir), stdout=StringIO())
    built = {
        path.relative_to(outdir).as_posix(): camera_data_in(path.read_bytes())
        for path in sorted(outdir.rglob("*"))
        if path.suffix.lower() in IMAGE_SUFFIXES
    }
    post_file = outdir / post.get_absolute_url().strip("/") / "index.html"
    built_page = post_file.read_text()
    referenced = {path.lstrip("/") for path in media_paths(built_page)}
    assert referenced and referenced <= set(built)
    assert {f"media/{photo.file.name}", f"media/{screenshot.file.name}"} <= set(built)
    assert built == {name: [] for name in built}

    # Upright: the phone held the camera sideways (Orientation 6).
    stored = Path(photo.file.path)
    with PILImage.open(stored) as original:
        assert original.size == (1800, 1200) == (photo.width, photo.height)
