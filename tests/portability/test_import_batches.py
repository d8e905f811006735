"""The importer writes items in chunks; the result must be as if one at a time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from afterword.discussion.models import Comment
from afterword.portability import importing
from afterword.portability.models import ImportRecord
from afterword.posts.models import Category, Post, Tag
from afterword.search.models import SearchDocument
from afterword.search.services import SearchResults
from tests.support.changes import heard_changes

from .wxrfiles import comment, item, wxr


def import_file(path, *args) -> str:
    out = StringIO()
    call_command("import_wxr", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict:
    """Everything an import writes, without the database ids."""
    posts = {
        post.slug: (
            post.kind,
            post.title,
            post.body_html,
            post.summary,
            post.status,
            post.published_at,
            post.sticky,
            post.legacy_url,
            post.author.username,
            sorted(post.tags.values_list("slug", flat=True)),
            sorted(post.categories.values_list("slug", flat=True)),
        )
        for post in Post.objects.select_related("author")
    }
    comments = sorted(
        (
            c.post.slug,
            c.author_name,
            c.body,
            c.body_html,
            c.status,
            c.depth,
            c.parent.body if c.parent else None,
            c.created_at,
            c.ip_address,
        )
        for c in Comment.objects.select_related("post", "parent")
    )
    slugs = dict(Post.objects.values_list("pk", "slug"))
    records = sorted(
        (
            r.kind,
            r.source_id,
            r.url,
            # Posts waiting for an attachment, by slug: their ids differ.
            repr({**r.data, "featured_for": [slugs[pk] for pk in waiting]})
            if (waiting := r.data.get("featured_for"))
            else repr(r.data),
            r.object_id is None,
        )
        for r in ImportRecord.objects.all()
    )
    documents = sorted(
        (d.post.slug, d.title, d.summary, d.body, d.terms)
        for d in SearchDocument.objects.select_related("post")
    )
    return {
        "posts": posts,
        "comments": comments,
        "records": records,
        "documents": documents,
    }


def forget_everything() -> None:
    Post.objects.all().delete()
    ImportRecord.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["theme-unit-test-data.xml", "small-export.xml"])
def test_small_chunks_give_the_same_site_and_report(
    wxr_dir, name, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        whole_report = import_file(wxr_dir / name)
    whole = snapshot()
    forget_everything()

    monkeypatch.setattr(importing, "ITEM_CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        chunked_report = import_file(wxr_dir / name)

    assert snapshot() == whole
    assert chunked_report == whole_report
    # Live and scheduled posts are in the search index, drafts are not.
    assert len(whole["documents"]) == Post.objects.exclude(status="draft").count()


DAMAGED = wxr(
    item(10, "Ten", content="First", comments=comment(1, 0, "Ann", "Hello")),
    item(11, "Eleven", content="Other", comments=comment(2, 0, "Bob", "Hi")),
    # The same post again, edited, with its comment repeated and a new reply.
    item(
        10,
        "Ten, edited",
        content="Second",
        comments=comment(1, 0, "Ann", "Hello") + comment(3, 1, "Cy", "Reply"),
    ),
    # A comment id another post already used.
    item(12, "Twelve", content="Third", comments=comment(2, 0, "Di", "Copy")),
)


@pytest.mark.django_db
def test_repeated_ids_in_one_chunk_are_written_as_one_at_a_time(tmp_path):
    path = tmp_path / "damaged.xml"
    path.write_text(DAMAGED)

    report = import_file(path)

    assert sorted(Post.objects.values_list("title", flat=True)) == [
        "Eleven",
        "Ten, edited",
        "Twelve",
    ]
    ten = Post.objects.get(title="Ten, edited")
    assert ten.body_html == "<p>Second</p>"
    assert sorted(ten.comments.values_list("author_name", "depth")) == [
        ("Ann", 0),
        ("Cy", 1),
    ]
    assert not Comment.objects.filter(author_name="Di").exists()
    lines = report.splitlines()
    assert "post                3        1        0" in lines
    assert "comment             3        0        2" in lines


@pytest.mark.django_db
def test_an_import_is_announced_once_and_indexed_for_search(
    wxr_dir, django_capture_on_commit_callbacks
):
    with heard_changes() as heard, django_capture_on_commit_callbacks(execute=True):
        import_file(wxr_dir / "small-export.xml")

    # One announcement for the whole import: every post (drafts show
    # nowhere, so they are not in it) and every approved comment.
    assert len(heard) == 1
    shown = Post.objects.exclude(status=Post.Status.DRAFT)
    assert heard[0].pks(Post) == set(shown.values_list("pk", flat=True))
    assert heard[0].pks(Comment) == set(
        Comment.objects.approved().values_list("pk", flat=True)
    )
    live = Post.objects.live()
    assert SearchDocument.objects.count() == live.count() > 0
    hello = live.get(title="Hello world!")
    assert hello.get_absolute_url() in [r.url for r in SearchResults("hello")[0:10]]
