"""The media library in the admin, and the editor's upload endpoint."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from afterword.media.models import Image
from tests.factories import UserFactory

from .images import upload

pytestmark = pytest.mark.django_db

UPLOAD_URL = "admin:media_image_upload"


def test_editor_upload_answers_with_the_figure_markdown(client, writer):
    client.force_login(writer)

    response = client.post(
        reverse(UPLOAD_URL),
        {"file": upload("JPEG", (1280, 720)), "alt_text": "A tram", "caption": "Night"},
    )

    assert response.status_code == 200
    image = Image.objects.get()
    assert response.json() == {
        "id": image.pk,
        "url": image.file.url,
        "width": 1280,
        "height": 720,
        "alt_text": "A tram",
        "caption": "Night",
        "markdown": f"![A tram]({image.file.url})\nNight",
    }
    assert image.uploaded_by == writer


def test_editor_upload_of_a_non_image_is_a_clear_json_error(client, writer):
    client.force_login(writer)
    fake = SimpleUploadedFile("notes.gif", b"GIF? no, just text", "image/gif")

    response = client.post(reverse(UPLOAD_URL), {"file": fake})

    assert response.status_code == 400
    assert response.json() == {
        "error": "This file is not a JPEG, PNG, WebP or GIF image."
    }
    assert Image.objects.count() == 0


def test_editor_upload_without_a_file_says_so(client, writer):
    client.force_login(writer)

    response = client.post(reverse(UPLOAD_URL), {"alt_text": "nothing"})

    assert response.status_code == 400
    assert response.json() == {"error": "Choose an image file to upload."}


def test_editor_upload_is_for_staff_only(client):
    reader = UserFactory(username="reader", is_staff=False)
    client.force_login(reader)

    response = client.post(reverse(UPLOAD_URL), {"file": upload()})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Image.objects.count() == 0


def test_editor_upload_checks_csrf(writer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)

    response = strict.post(reverse(UPLOAD_URL), {"file": upload()})

    assert response.status_code == 403
    assert Image.objects.count() == 0


def test_admin_add_form_goes_through_ingest_and_makes_renditions(client, writer):
    client.force_login(writer)

    response = client.post(
        reverse("admin:media_image_add"),
        {
            "upload": upload("PNG", (1000, 500)),
            "title": "Harbour",
            "alt_text": "Boats in a harbour",
            "caption": "",
            "credit": "Author",
        },
    )

    image = Image.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:media_image_changelist")
    assert image.title == "Harbour"
    assert image.alt_text == "Boats in a harbour"
    assert image.credit == "Author"
    assert [r.width for r in image.renditions.all()] == [480, 960, 1000]


def test_admin_add_form_refusal_keeps_what_was_typed(client, writer):
    client.force_login(writer)
    fake = SimpleUploadedFile("x.webp", b"RIFF....WEBPnot really", "image/webp")

    response = client.post(
        reverse("admin:media_image_add"),
        {
            "upload": fake,
            "title": "",
            "alt_text": "Kept alt",
            "caption": "Kept caption",
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "This file is not a JPEG, PNG, WebP or GIF image." in body
    assert 'value="Kept alt"' in body
    assert 'value="Kept caption"' in body
    assert Image.objects.count() == 0


def test_admin_list_shows_thumbnails_without_a_query_per_image(
    client, writer, django_assert_max_num_queries
):
    from afterword.media import services

    for shade in range(3):
        services.ingest_upload(upload("PNG", (700, 400), color=(shade * 40, 20, 20)))
    client.force_login(writer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:media_image_changelist"))

    body = response.content.decode()
    assert body.count('class="afterword-thumb"') == 3
    assert "-480w.webp" in body


def test_admin_change_form_edits_alt_caption_and_credit(client, writer):
    from afterword.media import services

    image = services.ingest_upload(upload("GIF", (200, 200)))
    client.force_login(writer)

    response = client.post(
        reverse("admin:media_image_change", args=[image.pk]),
        {"title": "Icon", "alt_text": "A red square", "caption": "Red", "credit": "Me"},
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.title, image.alt_text, image.caption, image.credit) == (
        "Icon",
        "A red square",
        "Red",
        "Me",
    )
    assert image.width == 200


def test_uploading_a_known_image_again_reuses_it_with_the_new_words(client, writer):
    client.force_login(writer)
    url = reverse(UPLOAD_URL)

    first = client.post(url, {"file": upload(name="a.png"), "alt_text": "A poster"})
    second = client.post(
        url,
        {
            "file": upload(name="b.png"),
            "alt_text": "The same poster",
            "caption": "Again",
        },
    ).json()

    image = Image.objects.get()
    assert first.json()["id"] == second["id"] == image.pk
    assert second["markdown"] == f"![The same poster]({image.file.url})\nAgain"
    assert image.alt_text == "A poster"


def test_staff_without_the_add_image_permission_cannot_upload(client):
    client.force_login(UserFactory(username="moderator", is_staff=True))

    response = client.post(reverse(UPLOAD_URL), {"file": upload()})

    assert response.status_code == 403
    assert response.json() == {
        "error": "Your account may not add images to the library."
    }
    assert Image.objects.count() == 0


def test_the_picker_lists_the_newest_images_and_searches_them(
    client, writer, django_assert_max_num_queries
):
    from afterword.media import services

    tram = services.ingest_upload(upload(color=(1, 2, 3)), alt_text="A tram")
    boat = services.ingest_upload(upload(color=(4, 5, 6)), alt_text="A boat")
    client.force_login(writer)
    url = reverse("admin:media_image_choices")

    with django_assert_max_num_queries(6):
        everything = client.get(url).json()["images"]
    found = client.get(url, {"q": "tram"}).json()["images"]

    assert [item["id"] for item in everything] == [boat.pk, tram.pk]
    assert everything[0]["thumbnail"].endswith("-480w.webp")
    assert [(item["id"], item["alt_text"]) for item in found] == [(tram.pk, "A tram")]


def test_picking_a_library_image_gives_its_figure_and_fills_its_blanks(client, writer):
    from afterword.media import services

    image = services.ingest_upload(upload("WEBP", (800, 450)))
    client.force_login(writer)

    payload = client.post(
        reverse("admin:media_image_figure"),
        {"id": image.pk, "alt_text": "A lighthouse", "caption": "North point"},
    ).json()

    assert payload["markdown"] == f"![A lighthouse]({image.file.url})\nNorth point"
    image.refresh_from_db()
    assert (image.alt_text, image.caption) == ("A lighthouse", "North point")


def test_picking_an_image_that_is_gone_is_a_clear_error(client, writer):
    client.force_login(writer)

    response = client.post(reverse("admin:media_image_figure"), {"id": "999"})

    assert response.status_code == 400
    assert response.json() == {"error": "That image is no longer in the library."}


def test_the_picker_is_for_staff_only(client):
    client.force_login(UserFactory(username="reader", is_staff=False))

    response = client.get(reverse("admin:media_image_choices"))

    assert response.status_code == 302
