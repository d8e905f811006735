"""Settings: the index, people and roles, and the discussion policy."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from afterword.accounts.roles import role_of
from afterword.discussion.models import DiscussionSettings

pytestmark = pytest.mark.django_db


def test_the_index_links_to_each_settings_screen(administrator):
    html = administrator.get(reverse("desk:settings")).content.decode()
    assert reverse("desk:people") in html
    assert reverse("desk:discussion_settings") in html


@pytest.mark.parametrize("role", ["contributor", "author", "editor"])
def test_settings_and_people_are_for_administrators(signed_in, role):
    desk = signed_in(role)
    assert desk.get(reverse("desk:settings")).status_code == 403
    assert desk.get(reverse("desk:people")).status_code == 403
    other = get_user_model().objects.create_user("someone")
    response = desk.post(
        reverse("desk:people_role", args=[other.pk]), {"role": "editor"}
    )
    assert response.status_code == 403
    assert role_of(other) is None


def test_people_lists_writers_with_their_role(administrator, account_with_role):
    account_with_role("editor", "mima")
    get_user_model().objects.create_user("a-reader")
    html = administrator.get(reverse("desk:people")).content.decode()
    assert "mima" in html
    assert "a-reader" not in html
    found = administrator.get(reverse("desk:people"), {"q": "reader"}).content.decode()
    assert "a-reader" in found


def test_people_costs_the_same_queries_for_many_writers(
    administrator, account_with_role, django_assert_num_queries, record_property
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account_with_role("author", "first-writer")
    administrator.get(reverse("desk:people"))
    with CaptureQueriesContext(connection) as few:
        administrator.get(reverse("desk:people"))
    for n in range(15):
        account_with_role("author", f"writer-{n}")
    with django_assert_num_queries(len(few)):
        html = administrator.get(reverse("desk:people")).content.decode()
    assert "writer-14" in html
    record_property("figure", f"desk people list queries: {len(few)}")


def test_changing_a_role(administrator, account_with_role):
    author = account_with_role("author", "rumi")
    response = administrator.post(
        reverse("desk:people_role", args=[author.pk]), {"role": "editor"}, follow=True
    )
    assert "rumi is now Editor." in response.content.decode()
    assert role_of(get_user_model().objects.get(pk=author.pk)).slug == "editor"


def test_the_last_administrator_keeps_the_role(client, account_with_role):
    only = account_with_role("administrator", "only-admin")
    client.force_login(only)
    response = client.post(
        reverse("desk:people_role", args=[only.pk]), {"role": "author"}, follow=True
    )
    assert response.status_code == 200
    assert "This is the only administrator" in response.content.decode()
    assert role_of(get_user_model().objects.get(pk=only.pk)).slug == "administrator"


def test_an_unknown_role_is_refused_without_error(administrator, account_with_role):
    author = account_with_role("author", "rumi")
    response = administrator.post(
        reverse("desk:people_role", args=[author.pk]), {"role": "king"}, follow=True
    )
    assert response.status_code == 200
    assert role_of(get_user_model().objects.get(pk=author.pk)).slug == "author"


def test_adding_a_writer_shows_the_password_once(administrator, client):
    response = administrator.post(
        reverse("desk:people_new"),
        {"username": "chiaki", "email": "chiaki@example.test", "role": "author"},
    )
    assert response.status_code == 200
    account = get_user_model().objects.get(username="chiaki")
    assert role_of(account).slug == "author"
    password = response.context["password"]
    assert password in response.content.decode()
    assert account.check_password(password)
    assert password not in administrator.get(reverse("desk:people")).content.decode()


def test_a_taken_username_keeps_the_input(administrator, account_with_role):
    account_with_role("author", "chiaki")
    response = administrator.post(
        reverse("desk:people_new"),
        {"username": "chiaki", "email": "other@example.test", "role": "editor"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "already exists" in html
    assert 'value="other@example.test"' in html
    assert get_user_model().objects.filter(username="chiaki").count() == 1


def test_discussion_settings_are_saved(administrator):
    data = {
        "max_links": 5,
        "close_after_days": 30,
        "max_depth": 2,
        "edit_minutes": 10,
        "flood_ip_limit": 10,
        "flood_identity_limit": 5,
        "flood_window_seconds": 300,
        "blocked_words": "casino",
    }
    response = administrator.post(reverse("desk:discussion_settings"), data)
    assert response.status_code == 302
    saved = DiscussionSettings.load()
    assert saved.comments_enabled is False
    assert saved.max_links == 5
    assert saved.blocked_words == "casino"


def test_bad_discussion_settings_keep_the_input(administrator):
    response = administrator.post(
        reverse("desk:discussion_settings"),
        {"max_links": "many", "blocked_words": "casino\nlottery", "max_depth": 2},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a whole number." in html
    assert "casino\nlottery" in html
    assert not DiscussionSettings.objects.exists()


def test_an_editor_cannot_change_discussion_settings_without_the_permission(
    signed_in,
):
    desk = signed_in("author")
    assert desk.get(reverse("desk:discussion_settings")).status_code == 403
