"""Import -> export-wxr -> import into an empty site gives the same content."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from afterword.discussion.models import Comment
from afterword.portability.models import ImportRecord
from afterword.posts.models import Category, Post, Tag

POST_FIELDS = (
    "kind", "slug", "title", "body", "body_html", "excerpt", "status",
    "published_at", "sticky", "comments_open",
)  # fmt: skip
COMMENT_FIELDS = (
    "author_name", "author_email", "author_url", "body", "body_html", "status",
    "created_at", "depth", "ip_address",
)  # fmt: skip


def snapshot() -> dict:
    """Everything that must survive the trip, keyed by natural keys (not pks)."""
    posts = {}
    for post in Post.objects.select_related("author").prefetch_related(
        "tags", "categories"
    ):
        comments = sorted(
            (
                *(getattr(c, name) for name in COMMENT_FIELDS),
                c.parent.author_name if c.parent else None,
                c.parent.created_at if c.parent else None,
            )
            for c in post.comments.select_related("parent")
        )
        posts[(post.kind, post.slug)] = (
            *(getattr(post, name) for name in POST_FIELDS),
            post.author.username,
            post.author.email,
            sorted(t.slug for t in post.tags.all()),
            sorted(c.slug for c in post.categories.all()),
            comments,
        )
    pings = sorted(
        data["type"]
        for data in ImportRecord.objects.filter(kind="comment").values_list(
            "data", flat=True
        )
        if data
    )
    return {
        "posts": posts,
        "categories": sorted(
            (c.slug, c.name, c.description, c.parent.slug if c.parent else "")
            for c in Category.objects.select_related("parent")
        ),
        "tags": sorted(Tag.objects.values_list("slug", "name")),
        "pings": pings,
    }


def empty_the_site() -> None:
    Post.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    ImportRecord.objects.all().delete()
    get_user_model().objects.all().delete()


@pytest.mark.django_db
def test_import_export_import_gives_the_same_posts_comments_and_terms(
    tmp_path, wxr_dir
):
    call_command(
        "import_wxr",
        str(wxr_dir / "theme-unit-test-data.xml"),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    before = snapshot()
    assert len(before["posts"]) == 79
    assert sum(len(p[-1]) for p in before["posts"].values()) == Comment.objects.count()

    exported = tmp_path / "site.xml"
    out = StringIO()
    call_command("export_wxr", str(exported), stdout=out)
    assert "79 posts and pages, 33 comments" in out.getvalue()
    # Well-formed WXR 1.2, as WordPress's importer expects.
    channel = ET.parse(exported).getroot().find("channel")
    assert channel.findtext("{http://wordpress.org/export/1.2/}wxr_version") == "1.2"

    empty_the_site()
    assert Post.objects.count() == Comment.objects.count() == 0
    call_command("import_wxr", str(exported), stdout=StringIO(), stderr=StringIO())

    after = snapshot()
    assert after["categories"] == before["categories"]
    assert after["tags"] == before["tags"]
    assert after["pings"] == before["pings"]
    assert after["posts"].keys() == before["posts"].keys()
    for key, fields in before["posts"].items():
        assert after["posts"][key] == fields, key
