"""Revision history in the admin: list, compare any two, restore one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.posts import actions
from afterword.posts.models import Post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_post(post_factory, writer):
    """A post saved three times: first draft, a new body, a new title."""
    post = post_factory(
        title="Perfect Days",
        body="Line one.\nLine two.\nLine three.",
        author=writer,
    )
    post.body = "Line one.\nLine 2, rewritten.\nLine three."
    actions.save_post(post, user=writer, note="Rewrote line two")
    post.title = "Perfect Days, again"
    actions.save_post(post, user=writer, note="New title")
    return post


def test_the_history_lists_every_revision_newest_first(desk, edited_post):
    url = reverse("admin:posts_post_revisions", args=[edited_post.pk])

    body = desk.get(url).content.decode()

    assert body.index("New title") < body.index("Rewrote line two")
    assert body.count('name="a"') == 3
    # Every revision but the current one can be restored.
    assert body.count(">Restore</button>") == 2


def test_the_change_form_links_to_the_history(desk, edited_post):
    body = desk.get(
        reverse("admin:posts_post_change", args=[edited_post.pk])
    ).content.decode()

    url = reverse("admin:posts_post_revisions", args=[edited_post.pk])
    assert f'<a href="{url}">Revisions (3)</a>' in body


def test_comparing_the_first_and_last_revision_shows_both_changes(desk, edited_post):
    first, *_, last = edited_post.revisions.order_by("created_at", "pk")
    url = reverse("admin:posts_post_revisions_compare", args=[edited_post.pk])

    # The order of a and b does not matter: the older one is always "from".
    body = desk.get(url, {"a": last.pk, "b": first.pk}).content.decode()

    assert '<tr class="afterword-diff-removed">' in body
    assert "Line two." in body
    assert "Line 2, rewritten." in body
    assert "Perfect Days, again" in body
    assert "Excerpt (unchanged)" in body


def test_a_comparison_escapes_what_the_writer_typed(desk, post_factory, writer):
    post = post_factory(body="Plain.", author=writer)
    post.body = "<script>alert('x')</script>"
    actions.save_post(post, user=writer)
    older, newer = post.revisions.order_by("created_at", "pk")

    response = desk.get(
        reverse("admin:posts_post_revisions_compare", args=[post.pk]),
        {"a": older.pk, "b": newer.pk},
    )

    body = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body


def test_comparing_a_revision_of_another_post_is_refused(
    desk, edited_post, post_factory, writer
):
    other = post_factory(author=writer).revisions.get()
    mine = edited_post.revisions.first()
    url = reverse("admin:posts_post_revisions_compare", args=[edited_post.pk])

    response = desk.get(url, {"a": mine.pk, "b": other.pk}, follow=True)

    assert "Those revisions do not belong to this post." in response.content.decode()


def test_restoring_brings_back_the_old_text_as_a_new_revision(
    desk, edited_post, writer
):
    first = edited_post.revisions.order_by("created_at", "pk").first()

    response = desk.post(
        reverse("admin:posts_post_revisions_restore", args=[edited_post.pk, first.pk])
    )

    assert response.status_code == 302
    edited_post.refresh_from_db()
    assert edited_post.title == "Perfect Days"
    assert edited_post.body == "Line one.\nLine two.\nLine three."
    assert "<p>Line one.\nLine two.\nLine three.</p>" in edited_post.body_html
    assert edited_post.revisions.count() == 4
    newest = edited_post.revisions.first()
    assert newest.note.startswith("Restored revision of ")
    assert newest.author == writer


def test_restore_needs_a_post_request(desk, edited_post):
    first = edited_post.revisions.order_by("created_at", "pk").first()
    url = reverse("admin:posts_post_revisions_restore", args=[edited_post.pk, first.pk])

    assert desk.get(url).status_code == 405
    edited_post.refresh_from_db()
    assert edited_post.title == "Perfect Days, again"


def test_revision_pages_are_for_staff_only(client, edited_post):
    client.force_login(UserFactory(username="reader", is_staff=False))
    first = edited_post.revisions.order_by("created_at", "pk").first()

    listing = client.get(reverse("admin:posts_post_revisions", args=[edited_post.pk]))
    restore = client.post(
        reverse("admin:posts_post_revisions_restore", args=[edited_post.pk, first.pk])
    )

    assert listing.status_code == 302
    assert restore.status_code == 302
    assert Post.objects.get().title == "Perfect Days, again"


def test_pages_have_their_own_history(desk, post_factory, writer):
    page = post_factory(kind=Post.Kind.PAGE, title="About", slug="about", author=writer)

    body = desk.get(
        reverse("admin:posts_page_revisions", args=[page.pk])
    ).content.decode()

    assert "Revisions of “About”" in body
    assert reverse("admin:posts_page_change", args=[page.pk]) in body
