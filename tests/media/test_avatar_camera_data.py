"""Avatars set in the admin are published without the camera's data."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from tests.factories import UserFactory

from .images import camera_data_in, camera_exif, gps_jpeg, quadrants

pytestmark = pytest.mark.django_db


def profile_form(user, **changes) -> dict:
    """The admin's change form for ``user``, as the browser would send it."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "display_name": user.display_name,
        "bio": "Writes about films shot on location.",
        "website": "",
        "profile_links": "[]",
        "contact_enabled": "on",
    }
    data.update(changes)
    return data


def test_an_avatar_uploaded_in_the_admin_is_served_upright_without_camera_data(
    client, writer, post_factory
):
    author = UserFactory(username="critic", display_name="The Critic")
    post_factory(author=author, title="On location", status="published")
    upload = gps_jpeg(size=(300, 400))
    client.force_login(writer)

    response = client.post(
        reverse("admin:accounts_user_change", args=[author.pk]),
        profile_form(author, avatar=SimpleUploadedFile("me.jpg", upload)),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    author.refresh_from_db()
    page = Client().get(reverse("posts:author", kwargs={"username": "critic"}))
    assert f'src="{author.avatar.url}"' in page.content.decode()
    served = b"".join(Client().get(author.avatar.url).streaming_content)
    assert camera_data_in(served) == []
    with PILImage.open(io.BytesIO(served)) as avatar:
        assert avatar.size == (400, 300)


def test_a_broken_avatar_is_refused_with_a_message_and_the_profile_kept(client, writer):
    author = UserFactory(username="critic", display_name="The Critic")
    cut = gps_jpeg(size=(300, 400))[:2000]
    client.force_login(writer)

    response = client.post(
        reverse("admin:accounts_user_change", args=[author.pk]),
        profile_form(
            author, display_name="Renamed", avatar=SimpleUploadedFile("me.jpg", cut)
        ),
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "This picture could not be read completely." in body
    author.refresh_from_db()
    assert (author.display_name, author.avatar.name) == ("The Critic", "")


def test_a_tiff_avatar_becomes_a_png_without_its_camera_data(client, writer):
    """Browsers do not show TIFF, and its tags carry the same GPS as EXIF."""
    author = UserFactory(username="critic", display_name="The Critic")
    out = io.BytesIO()
    quadrants((120, 90)).save(out, "TIFF", exif=camera_exif(orientation=1))
    client.force_login(writer)

    response = client.post(
        reverse("admin:accounts_user_change", args=[author.pk]),
        profile_form(author, avatar=SimpleUploadedFile("me.tif", out.getvalue())),
    )

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.avatar.name.endswith("/me.png")
    with author.avatar.open("rb") as stored:
        data = stored.read()
    assert camera_data_in(data) == []
    with PILImage.open(io.BytesIO(data)) as avatar:
        assert (avatar.format, avatar.size) == ("PNG", (120, 90))
