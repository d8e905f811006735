"""An author's page is kept for the content version, and changed at once by
the admin: a new name or bio shows on the next request, and a writer who is
deactivated has no page any more, though both were kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.media.test_avatar_camera_data import profile_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def critic(post_factory):
    author = UserFactory(
        username="critic", display_name="The Critic", bio="Writes about **noir**."
    )
    post_factory(author=author, title="On location", status="published")
    return author


def author_page(username: str = "critic"):
    return Client().get(reverse("posts:author", kwargs={"username": username}))


def test_a_profile_changed_in_the_admin_shows_on_the_kept_author_page(
    client, writer, critic, settings, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_FRAGMENT_CACHE = True
    first = author_page().content.decode()
    assert "The Critic" in first and "<strong>noir</strong>" in first
    # Read again: from the content memo this time.
    assert "The Critic" in author_page().content.decode()
    client.force_login(writer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_change", args=[critic.pk]),
            profile_form(critic, display_name="Night Critic", bio="Now *westerns*."),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = author_page().content.decode()
    assert "Night Critic" in page and "<em>westerns</em>" in page
    assert "The Critic" not in page and "noir" not in page


def test_a_writer_deactivated_in_the_admin_loses_the_kept_author_page(
    client, writer, critic, settings, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_FRAGMENT_CACHE = True
    assert author_page().status_code == 200
    assert author_page().status_code == 200
    client.force_login(writer)
    form = profile_form(critic, bio=critic.bio)
    del form["is_active"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_change", args=[critic.pk]), form
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert author_page().status_code == 404


def test_an_unknown_author_is_not_found_on_every_request(settings, critic):
    settings.AFTERWORD_FRAGMENT_CACHE = True
    assert author_page("nobody").status_code == 404
    assert author_page("nobody").status_code == 404
    assert author_page().status_code == 200
