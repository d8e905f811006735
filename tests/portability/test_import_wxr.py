"""Importing real WordPress exports: exact counts, threading, idempotence."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from afterword.discussion.models import Comment
from afterword.portability.models import ImportRecord
from afterword.posts.models import Category, Post, Tag

from .expected import expected_counts

VALID_FILES = [
    "theme-unit-test-data.xml",
    "small-export.xml",
    "valid-wxr-1.0.xml",
    "valid-wxr-1.1.xml",
    "wxr-simple.xml",
    "wxr-utf-8-challenges.xml",
    "slashes.xml",
    "crazy-cdata-escaped.xml",
    "namespace-edge-cases.xml",
    "term-formats.xml",
    "large-authors.xml",
    "authors-multiline.xml",
    "test-serialized-comment-meta.xml",
]
APPROVAL = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}


def import_file(path, *args) -> str:
    out = StringIO()
    call_command("import_wxr", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name", VALID_FILES)
def test_import_counts_match_the_file_exactly(wxr_dir, name):
    expected = expected_counts(wxr_dir / name)
    categories_before = Category.objects.count()
    tags_before = Tag.objects.count()

    import_file(wxr_dir / name)

    assert Post.objects.posts().count() == expected.get("posts", 0)
    assert Post.objects.pages().count() == expected.get("pages", 0)
    assert Comment.objects.count() == expected.get("comments", 0)
    assert Category.objects.count() - categories_before == expected["categories"]
    assert Tag.objects.count() - tags_before == expected["tags"]
    attachments = ImportRecord.objects.filter(kind=ImportRecord.Kind.ATTACHMENT)
    assert attachments.count() == expected.get("attachments", 0)
    assert ImportRecord.objects.filter(
        kind=ImportRecord.Kind.AUTHOR
    ).count() >= expected.get("authors", 0)


@pytest.mark.django_db
def test_threading_approval_and_ping_types_are_kept(wxr_dir):
    path = wxr_dir / "theme-unit-test-data.xml"
    expected = expected_counts(path)
    import_file(path)

    statuses = Counter(Comment.objects.values_list("status", flat=True))
    assert statuses == Counter(
        {APPROVAL[key]: n for key, n in expected["statuses"].items()}
    )
    assert Comment.objects.filter(parent__isnull=False).count() == expected["replies"]
    # Each reply points at the comment WordPress said it answers.
    records = dict(
        ImportRecord.objects.filter(kind="comment").values_list(
            "object_id", "source_id"
        )
    )
    post = Post.objects.get(title="Template: Comments")
    replies = post.comments.filter(parent__isnull=False).select_related("parent")
    assert replies.count() == 9
    for reply in replies:
        assert reply.depth == reply.parent.depth + 1
        assert records[reply.parent_id] != records[reply.pk]
    types = Counter(
        record["type"]
        for record in ImportRecord.objects.filter(kind="comment").values_list(
            "data", flat=True
        )
        if record
        for record in [record]
    )
    assert types == Counter(
        {k: v for k, v in expected["types"].items() if k != "comment"}
    )


@pytest.mark.django_db
def test_statuses_dates_sticky_and_authors(wxr_dir):
    import_file(wxr_dir / "theme-unit-test-data.xml")

    scheduled = Post.objects.get(title="Scheduled")
    assert scheduled.status == Post.Status.SCHEDULED
    assert scheduled.published_at.year == 2030
    assert Post.objects.get(title="Draft").status == Post.Status.DRAFT
    sticky = Post.objects.get(title="Template: Sticky")
    assert sticky.sticky is True
    assert Post.objects.filter(sticky=True).count() == 1
    hello = Post.objects.get(title="Markup: HTML Tags and Formatting")
    assert hello.status == Post.Status.PUBLISHED
    assert hello.published_at.isoformat() == "2013-01-12T03:22:19+00:00"
    assert hello.author.username == "themedemos"
    assert hello.author.display_name == "Theme Buster"
    child = Category.objects.get(slug="child-category-01")
    assert child.parent.slug == "parent-category"


@pytest.mark.django_db
def test_running_the_same_import_twice_creates_nothing_twice(wxr_dir):
    path = wxr_dir / "theme-unit-test-data.xml"
    import_file(path)
    first = (
        Post.objects.count(),
        Comment.objects.count(),
        Category.objects.count(),
        Tag.objects.count(),
        ImportRecord.objects.count(),
    )
    report = import_file(path)
    again = (
        Post.objects.count(),
        Comment.objects.count(),
        Category.objects.count(),
        Tag.objects.count(),
        ImportRecord.objects.count(),
    )
    assert again == first
    post_line = next(line for line in report.splitlines() if line.startswith("post "))
    assert post_line.split()[1:] == ["0", "0", str(Post.objects.posts().count())]


@pytest.mark.django_db
def test_dry_run_reports_but_saves_nothing(wxr_dir):
    report = import_file(wxr_dir / "small-export.xml", "--dry-run")
    assert "Dry run: nothing was saved." in report
    assert Post.objects.count() == 0
    assert ImportRecord.objects.count() == 0


@pytest.mark.django_db
def test_skip_pings_leaves_out_pingbacks_and_trackbacks(wxr_dir):
    path = wxr_dir / "theme-unit-test-data.xml"
    expected = expected_counts(path)
    import_file(path, "--skip-pings")
    pings = expected["types"]["pingback"] + expected["types"]["trackback"]
    assert pings == 4
    assert Comment.objects.count() == expected["comments"] - pings


@pytest.mark.django_db
def test_report_lists_unknown_shortcodes_and_keeps_them_visible(wxr_dir):
    report = import_file(wxr_dir / "theme-unit-test-data.xml")
    assert "Shortcodes kept as text: [audio] x1, [gallery] x3" in report
    audio = Post.objects.get(title="Post Format: Audio")
    assert "[audio" in audio.body_html


@pytest.mark.django_db
def test_imported_old_posts_are_not_announced_to_followers(
    wxr_dir, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from afterword.subscriptions.models import FanOut

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_file(wxr_dir / "small-export.xml")
    assert len(callbacks) > 0  # post_went_live and the rest did run
    live = Post.objects.posts().live()
    assert live.count() > 0
    assert set(FanOut.objects.values_list("post_id", flat=True)) == set(
        live.values_list("pk", flat=True)
    )
    assert not DBTaskResult.objects.filter(task_path__contains="fan_out").exists()


@pytest.mark.django_db
def test_a_post_deleted_after_import_comes_back_on_the_next_run(wxr_dir):
    path = wxr_dir / "small-export.xml"
    import_file(path)
    count, comments = Post.objects.count(), Comment.objects.count()
    deleted = Post.objects.get(title="Hello world!")
    assert deleted.comments.count() > 0
    deleted.delete()
    import_file(path)
    assert (Post.objects.count(), Comment.objects.count()) == (count, comments)
    again = Post.objects.get(title="Hello world!")
    record = ImportRecord.objects.get(kind="post", object_id=again.pk)
    assert record.source_id == "1"
