"""The editor's pages are valid HTML (W3C Nu checker), in every state."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.catalog.models import Person, PostMention, PostWork, Work
from afterword.posts.models import Post
from afterword.series.models import Series, SeriesPart
from tests import factories
from tests.support.html_checks import nu_errors

pytestmark = pytest.mark.django_db


def test_editor_pages_are_valid_html(client, make_writer, tmp_path):
    editor = make_writer("editor")
    other = make_writer("editor", "other")
    post = factories.save(
        factories.PostFactory.build(author=editor, status="draft", body="Start.")
    )
    base = post.revisions.order_by("-created_at", "-id").first().pk
    PostWork.objects.create(
        post=post, work=Work.objects.create(title="Stalker", slug="stalker")
    )
    PostMention.objects.create(
        post=post, person=Person.objects.create(name="A. T.", slug="at")
    )
    SeriesPart.objects.create(
        series=Series.objects.create(title="Zone", slug="zone"), post=post, position=1
    )
    post.tags.add(factories.TagFactory())
    post.body = "Theirs."
    factories.save(post, user=other)
    client.force_login(editor)
    edit = reverse("desk:edit_post", args=[post.pk])
    client.post(
        reverse("desk:editor_autosave"),
        {"post": post.pk, "title": post.title, "body": "Unsaved."},
    )
    data = {
        "title": post.title,
        "body": "Mine.",
        "slug": post.slug,
        "visibility": "public",
        "intent": "save",
        "base_revision": base,
    }
    pages = {
        "list": client.get(reverse("desk:posts")).content,
        "new": client.get(reverse("desk:new_post")).content,
        "edit with restore": client.get(edit).content,
        "conflict": client.post(edit, data).content,
        "refused": client.post(
            reverse("desk:new_post"), {"title": "", "visibility": "nope"}
        ).content,
    }
    assert b"Restore unsaved text" in pages["edit with restore"]
    assert b"Save mine anyway" in pages["conflict"]
    assert nu_errors(pages, tmp_path / "nu") == []
    assert Post.objects.count() == 1
