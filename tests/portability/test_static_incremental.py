"""Incremental static builds: render only what changed, and build the same site.

Each test edits the content one way, builds again over the previous build,
and compares the result file by file with a fresh build of the same content:
an incremental build may be faster, never different.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.urls import reverse

from afterword.discussion.actions import EditComment, add_comment
from afterword.discussion.models import Comment
from afterword.pagecache.state import current_state, read_state
from afterword.portability import buildstate, journal
from afterword.portability.buildstate import MANIFEST
from afterword.portability.staticsite import build_site
from afterword.posts.actions import save_post
from afterword.posts.models import Post, Tag

from .test_static_build import make_site

CLOCK = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")


@pytest.fixture
def site(db, tmp_path, settings):
    return make_site(tmp_path, settings)


def tree(folder: Path) -> dict[str, bytes]:
    """Every built file but the manifest, feeds' build clocks left out."""
    return {
        path.relative_to(folder).as_posix(): CLOCK.sub(b"", path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def assert_same_as_fresh_build(outdir: Path, fresh: Path) -> None:
    build_site(fresh)
    built, expected = tree(outdir), tree(fresh)
    assert sorted(built) == sorted(expected)
    different = [name for name in expected if built[name] != expected[name]]
    assert different == []


def file_of(post: Post) -> str:
    return post.get_absolute_url().lstrip("/") + "index.html"


def test_editing_one_post_renders_only_the_pages_that_show_it(site):
    outdir = site / "public"
    first = build_site(outdir)
    assert first.rendered == first.pages > 40

    post = Post.objects.get(title="Review number 3")
    post.title = "Review number 3, revised"
    post.body = "A new opening paragraph."
    save_post(post)
    again = build_site(outdir)

    assert again.pages == first.pages
    # Its page, its neighbours, its comment feed, and the listings, feeds and
    # sitemap that carry it: a handful, not the whole site.
    assert 3 <= again.rendered <= 15
    assert file_of(post) in again.changed
    untouched = Post.objects.get(title="Review number 9")
    assert file_of(untouched) not in again.changed
    html = (outdir / file_of(post)).read_text()
    assert "A new opening paragraph." in html
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_a_build_with_nothing_changed_renders_nothing(site):
    outdir = site / "public"
    first = build_site(outdir)
    again = build_site(outdir)
    assert (again.rendered, again.written, again.pages) == (0, 0, first.pages)
    assert again.unchanged == first.written


def test_a_new_comment_from_a_new_reader_builds_the_post_and_the_avatar(site):
    outdir = site / "public"
    build_site(outdir)
    post = Post.objects.get(title="Review number 5")
    add_comment(post, name="Zed", email="zed@example.com", body="A late thought.")
    again = build_site(outdir)

    assert file_of(post) in again.changed
    assert "A late thought." in (outdir / file_of(post)).read_text()
    new_avatars = [name for name in again.changed if "/avatar/" in name]
    assert len(new_avatars) == 1
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_a_hidden_comment_or_unpublished_post_rebuilds_everything(site):
    outdir = site / "public"
    build_site(outdir)
    comment = Comment.objects.filter(post__title="Review number 7").first()
    comment.status = Comment.Status.TRASH
    comment.save()
    post = Post.objects.get(title="Review number 8")
    post.status = Post.Status.DRAFT
    save_post(post)
    again = build_site(outdir)

    assert again.rendered == again.pages
    assert not (outdir / file_of(post)).exists()
    assert again.removed >= 1
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_renaming_the_author_renders_every_page_again(site):
    """Anything but a post's own row or comments is not narrowed down."""
    outdir = site / "public"
    first = build_site(outdir)
    post = Post.objects.get(title="Review number 2")
    author = post.author
    author.display_name = "A renamed critic"
    author.save()
    again = build_site(outdir)
    assert again.rendered == first.rendered
    assert "A renamed critic" in (outdir / file_of(post)).read_text()
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_the_build_neither_reads_nor_changes_the_live_sites_cache(site, settings):
    """A live cache holding an older rendering must not leak into the build."""
    settings.AFTERWORD_FRAGMENT_CACHE = True
    from django.test import Client

    post = Post.objects.get(title="Review number 4")
    live_before = Client().get(post.get_absolute_url()).content.decode()
    assert "Freshly rewritten." not in live_before
    state = current_state()
    # Saved without the commit hooks that would start a new content version:
    # the live cache still holds the old article.
    post.body = "Freshly rewritten."
    save_post(post)

    build_site(site / "public")
    assert "Freshly rewritten." in (site / "public" / file_of(post)).read_text()
    assert read_state(caches["default"]) == state


def test_what_a_build_is_made_from_reads_the_same_in_every_process():
    """Sets in settings come out in a new order in each Python process; a
    digest that followed that order would make every build start over."""
    script = (
        "import django; django.setup();"
        "from afterword.portability.buildstate import _settings_digest;"
        "print(_settings_digest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
    assert len(next(iter(digests))) == 64


def admin_form_data(response) -> dict:
    """The change form's fields as the browser would send them back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = bound.field.widget.format_value(value) or ""
    return data


def test_an_edit_saved_in_the_admin_renders_only_the_pages_that_show_it(
    site, client, writer, settings
):
    """The path a writer takes: the admin's change form, then ``afterword build``."""
    settings.AFTERWORD_POST_ADMIN_INLINES = []
    outdir = site / "public"
    first = build_site(outdir)
    post = Post.objects.get(title="Review number 6")
    client.force_login(writer)
    address = reverse("admin:posts_post_change", args=[post.pk])
    data = admin_form_data(client.get(address))
    data["body"] = "Rewritten in the admin, every word."
    assert client.post(address, data).status_code == 302

    again = build_site(outdir)
    assert again.reason == ""
    assert 3 <= again.rendered <= 15 < first.rendered
    assert "every word" in (outdir / file_of(post)).read_text()
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_a_post_given_a_new_tag_is_listed_under_it(site):
    """A post that moves between listings is a change of shape: all pages."""
    outdir = site / "public"
    build_site(outdir)
    post = Post.objects.get(title="Review number 11")
    tag = Tag.objects.create(name="Long takes", slug="long-takes")
    post.tags.add(tag)
    save_post(post)
    again = build_site(outdir)
    assert again.reason.startswith("changed:") or "moved" in again.reason
    assert post.title in (outdir / "tag" / "long-takes" / "index.html").read_text()
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_a_comment_corrected_renders_only_its_posts_pages(site, writer):
    outdir = site / "public"
    build_site(outdir)
    comment = Comment.objects.filter(
        post__title="Review number 9", status=Comment.Status.APPROVED
    ).first()
    comment.body = "Corrected: I meant the second reel."
    EditComment(comment, user=writer).run()
    again = build_site(outdir)
    assert again.reason == ""
    assert 1 <= again.rendered <= 15
    assert "the second reel" in (outdir / file_of(comment.post)).read_text()
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_a_row_written_around_django_renders_everything(site):
    """The journal hears what Django saves; the tables' fingerprints catch an
    approved comment typed into a database shell."""
    outdir = site / "public"
    build_site(outdir)
    comment = Comment.objects.filter(status=Comment.Status.APPROVED).first()
    columns = [f.column for f in Comment._meta.concrete_fields if f.column != "id"]
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)})"
            f" SELECT {', '.join(columns)} FROM {table} WHERE id = %s",
            [comment.pk],
        )
    again = build_site(outdir)
    assert "rows:discussion.comment" in again.reason
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_a_change_rolled_back_leaves_nothing_in_the_journal(site):
    post = Post.objects.get(title="Review number 10")
    before = journal.current_mark()
    with pytest.raises(RuntimeError), transaction.atomic():
        post.body = "Never kept."
        save_post(post)
        raise RuntimeError("stop")
    assert journal.current_mark() == before
    save_post(Post.objects.get(pk=post.pk))
    changed = journal.since(before)
    assert changed.ids("posts.post") == {str(post.pk)}
    assert changed.mark > before


def test_a_page_no_longer_linked_is_dropped_whatever_the_number_of_seeds(tmp_path):
    """The record walks the links from every live post: tens of thousands
    of seeds, more than SQLite takes as parameters of one statement."""
    outdir = tmp_path / "public"
    outdir.mkdir()
    record = buildstate.Writer(buildstate.Record(outdir), full=True)
    seeds = [f"/2024/05/post-{n}/" for n in range(40_000)]
    record.page("/", "index.html", [], ["/orphan/"])
    record.page("/orphan/", "orphan/index.html", [], [])
    record.page("/kept/", "kept/index.html", [], [])
    record.page(seeds[-1], "post/index.html", [], ["/kept/"])
    # The home page is rendered again without its link to /orphan/.
    record.page("/", "index.html", [], [])
    assert record.unreachable(["/", *seeds]) == ["orphan/index.html"]


def test_many_changed_posts_render_everything(site, settings):
    """Past ``AFTERWORD_STATIC_NARROWED_AT_MOST`` changed posts and comments
    (2,000 unless set; an import, say) the build starts over."""
    settings.AFTERWORD_STATIC_NARROWED_AT_MOST = 2
    outdir = site / "public"
    build_site(outdir)
    for post in Post.objects.filter(title__startswith="Review number 1"):
        post.body = "Edited in bulk."
        save_post(post)
    again = build_site(outdir)
    assert again.reason == "more than 2 posts and comments changed"
    assert_same_as_fresh_build(outdir, site / "fresh")


def test_a_build_after_one_edit_shares_its_pages_between_the_workers(
    transactional_db, tmp_path, settings
):
    # Committed rows: the worker processes read them over their own
    # connections.
    site = make_site(tmp_path, settings)
    outdir = site / "public"
    build_site(outdir, workers=2)
    post = Post.objects.get(title="Review number 3")
    post.title = "Review number 3, revised"
    save_post(post)

    again = build_site(outdir, workers=2)

    assert 8 <= again.rendered <= 15
    assert again.processes == 2
    assert "Review number 3, revised" in (outdir / file_of(post)).read_text()
    assert_same_as_fresh_build(outdir, site / "fresh")
