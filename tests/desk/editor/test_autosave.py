"""Autosave, restoring unsaved text, and two writers on one post."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.desk.models import Autosave
from afterword.posts.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def latest_revision_id(post: Post) -> int:
    return post.revisions.order_by("-created_at", "-id").first().pk


@pytest.fixture
def draft(author):
    return factories.save(
        factories.PostFactory.build(author=author, status="draft", body="Saved text.")
    )


def test_first_autosave_creates_a_draft(client, author):
    client.force_login(author)
    answer = client.post(
        reverse("desk:editor_autosave"), {"title": "Half a", "body": "Mid sente"}
    ).json()
    post = Post.objects.get()
    assert answer["created"] and answer["post"] == post.pk
    assert answer["edit_url"] == reverse("desk:edit_post", args=[post.pk])
    assert answer["base_revision"] == latest_revision_id(post)
    assert (post.status, post.body, post.slug) == ("draft", "Mid sente", "half-a")


def test_empty_new_post_is_not_created(client, author):
    client.force_login(author)
    answer = client.post(reverse("desk:editor_autosave"), {"title": " "}).json()
    assert answer == {"skipped": True}
    assert not Post.objects.exists()


def test_autosave_keeps_text_apart_from_the_post(client, author, draft):
    client.force_login(author)
    base = latest_revision_id(draft)
    answer = client.post(
        reverse("desk:editor_autosave"),
        {
            "post": draft.pk,
            "base_revision": base,
            "title": draft.title,
            "body": "Unsaved words",
        },
    ).json()
    assert answer["conflict"] is None
    autosave = Autosave.objects.get(post=draft, user=author)
    assert autosave.body == "Unsaved words" and autosave.base_revision_id == base
    draft.refresh_from_db()
    assert draft.body == "Saved text."
    page = client.get(reverse("desk:edit_post", args=[draft.pk])).content.decode()
    assert "Restore unsaved text from" in page
    assert "Unsaved words" in page  # in the restore data


def test_saving_discards_the_autosave_and_the_offer(client, author, draft):
    client.force_login(author)
    client.post(
        reverse("desk:editor_autosave"),
        {"post": draft.pk, "title": draft.title, "body": "Unsaved words"},
    )
    client.post(
        reverse("desk:edit_post", args=[draft.pk]),
        {
            "title": draft.title,
            "body": "Unsaved words",
            "slug": draft.slug,
            "visibility": "public",
            "intent": "save",
            "base_revision": latest_revision_id(draft),
        },
    )
    assert not Autosave.objects.exists()
    page = client.get(reverse("desk:edit_post", args=[draft.pk])).content.decode()
    assert "Restore unsaved text" not in page


def test_contributor_cannot_autosave_a_published_post(client, contributor):
    post = factories.save(factories.PostFactory.build(author=contributor))
    client.force_login(contributor)
    response = client.post(
        reverse("desk:editor_autosave"), {"post": post.pk, "title": "x", "body": "y"}
    )
    assert response.status_code == 403
    assert "error" in response.json()
    assert not Autosave.objects.exists()


def test_autosave_of_someone_elses_post_is_refused_for_an_author(
    client, author, editor
):
    post = factories.save(factories.PostFactory.build(author=editor, status="draft"))
    client.force_login(author)
    response = client.post(
        reverse("desk:editor_autosave"), {"post": post.pk, "title": "x", "body": "y"}
    )
    assert response.status_code == 403


def test_autosave_answer_warns_when_someone_else_saved(client, editor, make_writer):
    other = make_writer("editor", "other")
    post = factories.save(factories.PostFactory.build(author=editor, status="draft"))
    base = latest_revision_id(post)
    post.body = "Their change."
    factories.save(post, user=other)
    client.force_login(editor)
    answer = client.post(
        reverse("desk:editor_autosave"),
        {"post": post.pk, "base_revision": base, "title": post.title, "body": "Mine"},
    ).json()
    assert "Other saved this post" in answer["conflict"]


def test_second_save_warns_and_keeps_both_texts(client, editor, make_writer):
    other = make_writer("editor", "other")
    post = factories.save(
        factories.PostFactory.build(author=editor, status="draft", body="Start.")
    )
    base = latest_revision_id(post)
    post.body = "Their version."
    factories.save(post, user=other)
    client.force_login(editor)
    data = {
        "title": post.title,
        "body": "My version.",
        "slug": post.slug,
        "visibility": "public",
        "intent": "save",
        "base_revision": base,
    }
    response = client.post(reverse("desk:edit_post", args=[post.pk]), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Their version." in page and "My version." in page
    assert "Save mine anyway" in page
    post.refresh_from_db()
    assert post.body == "Their version."
    assert Autosave.objects.get(post=post, user=editor).body == "My version."
    # Saving again without choosing still does not overwrite.
    assert (
        client.post(reverse("desk:edit_post", args=[post.pk]), data).status_code == 409
    )
    # The explicit choice does.
    theirs = latest_revision_id(post)
    data.update(
        intent="overwrite", overwrite_intent="save", overwrite_revision=str(theirs)
    )
    response = client.post(reverse("desk:edit_post", args=[post.pk]), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "My version."
    # Theirs stays in the history.
    assert post.revisions.filter(body="Their version.").exists()


def test_my_own_newer_save_is_no_conflict(client, editor):
    post = factories.save(factories.PostFactory.build(author=editor, status="draft"))
    base = latest_revision_id(post)
    post.body = "Saved from another tab."
    factories.save(post, user=editor)
    client.force_login(editor)
    data = {
        "title": post.title,
        "body": "Again.",
        "slug": post.slug,
        "visibility": "public",
        "intent": "save",
        "base_revision": base,
    }
    response = client.post(reverse("desk:edit_post", args=[post.pk]), data)
    assert response.status_code == 302
