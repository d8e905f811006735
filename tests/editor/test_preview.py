"""The editor's live preview endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.media import services as media
from tests.factories import UserFactory
from tests.media.images import upload

pytestmark = pytest.mark.django_db

PREVIEW_URL = "admin:posts_post_preview"


def test_preview_renders_through_the_real_pipeline(desk):
    image = media.ingest_upload(upload("PNG", (1000, 500)), alt_text="Rain on glass")
    source = (
        "## Opening\n\n"
        f"![]({image.file.url})\nA wet window\n\n"
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n"
    )

    response = desk.post(reverse(PREVIEW_URL), {"body": source})

    assert response.status_code == 200
    payload = response.json()
    html = payload["html"]
    assert '<h2 id="opening">Opening</h2>' in html
    assert '<figure class="figure">' in html
    assert "<figcaption>A wet window</figcaption>" in html
    assert 'alt="Rain on glass"' in html
    assert 'width="1000" height="500"' in html
    assert 'class="video-embed"' in html
    assert 'data-video-id="dQw4w9WgXcQ"' in html
    assert "<iframe" not in html
    assert payload["warnings"] == []


def test_preview_output_is_sanitised(desk):
    source = (
        "Hello <script>alert('x')</script> [link](javascript:alert(1)) "
        '<img src="x" onerror="alert(2)">'
    )

    html = desk.post(reverse(PREVIEW_URL), {"body": source}).json()["html"]

    assert "<script" not in html
    assert "alert('x')" not in html
    assert 'href="javascript:' not in html
    assert "onerror" not in html


def test_preview_warns_of_an_image_without_alt(desk):
    payload = desk.post(
        reverse(PREVIEW_URL), {"body": "![](https://example.com/x.png)"}
    ).json()

    assert len(payload["warnings"]) == 1
    assert "https://example.com/x.png" in payload["warnings"][0]
    assert "alt text" in payload["warnings"][0]


def test_preview_is_for_staff_only(client):
    client.force_login(UserFactory(username="reader", is_staff=False))

    response = client.post(reverse(PREVIEW_URL), {"body": "# Hi"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_refuses_get(desk):
    assert desk.get(reverse(PREVIEW_URL)).status_code == 405


def test_preview_needs_permission_to_write_posts(client):
    client.force_login(UserFactory(username="moderator", is_staff=True))

    response = client.post(reverse(PREVIEW_URL), {"body": "# Hi"})

    assert response.status_code == 403
