"""``afterword build``: the whole public site as files, incremental, link-checked."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from afterword.portability.buildstate import MANIFEST
from afterword.portability.staticsite import build_site, check_links
from afterword.posts.actions import save_post
from afterword.posts.models import Post

from .wxrfiles import comment, item, wxr


@pytest.fixture
def site(db, tmp_path, settings):
    """A small imported blog: posts with tags, threaded comments, a page, a draft."""
    return make_site(tmp_path, settings)


def make_site(tmp_path, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    # A media folder of its own: the test processes share the default one, and
    # a file another test adds between two builds would differ between them.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    posts = [
        item(
            100 + n,
            f"Review number {n}",
            content=f"Paragraph about film {n}.\n\nhttps://youtu.be/dQw4w9WgXcQ",
            link=f"https://old.example/2019/04/02/review-{n}/",
            slug=f"review-{n}",
            date=f"2019-0{1 + n % 3}-02 10:00:00",
            comments=comment(10 * n + 1, 0, "Ann", f"Loved {n}")
            + comment(10 * n + 2, 10 * n + 1, "Bob", "Agreed"),
        )
        for n in range(1, 15)
    ]
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            *posts,
            item(
                200, "About", content="Who writes here.", post_type="page", slug="about"
            ),
            item(
                201, "Secret draft", content="Not yet.", status="draft", slug="secret"
            ),
        )
    )
    call_command("import_wxr", str(path), stdout=StringIO(), stderr=StringIO())
    return tmp_path


def build(outdir, *args) -> str:
    out = StringIO()
    call_command("build", str(outdir), *args, stdout=out)
    return out.getvalue()


def test_build_writes_every_public_page_with_working_links(site, client):
    outdir = site / "public"
    summary = build(outdir)

    post = Post.objects.get(title="Review number 3")
    page_file = outdir / post.get_absolute_url().lstrip("/") / "index.html"
    built = page_file.read_text()
    # The same article as the live view renders, up to its comments.
    live = client.get(post.get_absolute_url()).content.decode()
    live = re.sub(r' nonce="[^"]*"', "", live)  # a static file carries no nonce
    start, end = "<article", '<section id="comments"'
    assert (
        built[built.index(start) : built.index(end)]
        == live[live.index(start) : live.index(end)]
    )
    # With no server to post to, the thread alone: no invitation, no reply
    # buttons, no login choices, no nonce, no form token.
    assert "Leave a reply below" in live and "Leave a reply below" not in built
    assert "comment-reply-link" in live and "comment-reply-link" not in built
    assert "nonce=" not in built and 'name="token"' not in built
    for expected in (
        "index.html",
        "page/2/index.html",
        "about/index.html",
        "2019/02/index.html",
        "feed/index.html",
        "feed/atom/index.html",
        "sitemap.xml",
        "sitemap-posts.xml",
        "sitemap-pages.xml",
        "robots.txt",
        "search/index.html",
        "search-index.json",
        "static/afterword/site.css",
        "static/portability/search.js",
        "author/critic/index.html",
    ):
        assert (outdir / expected).is_file(), expected
    assert not (outdir / "secret").exists()
    # Comments as of build time, threaded; no form to post to.
    assert built.count('class="comment') >= 2
    assert 'id="commentform"' not in built
    assert "Built " in summary and " 0 removed." in summary
    assert check_links(outdir) == []

    index = json.loads((outdir / "search-index.json").read_text())
    assert len(index) == Post.objects.live().count() == 15
    assert {"title": "About", "url": "/about/"}.items() <= next(
        e for e in index if e["title"] == "About"
    ).items()


def test_relative_links_and_comment_endpoint(site):
    outdir = site / "relative"
    build(outdir, "--relative", "--comments-endpoint", "https://live.example")
    post = Post.objects.get(title="Review number 3")
    html = (outdir / post.get_absolute_url().lstrip("/") / "index.html").read_text()
    assert 'href="../../../static/afterword/site.css"' in html
    assert f'action="https://live.example/comments/post/{post.pk}/"' in html
    assert 'href="/' not in html
    assert check_links(outdir) == []


def test_second_build_after_one_edit_rewrites_only_what_changed(
    site, django_capture_on_commit_callbacks
):
    outdir = site / "public"
    first = build(outdir)
    again = build(outdir)
    assert " 0 files written," in again
    total = int(first.split(": ")[1].split(" files written")[0])
    assert f"{total} unchanged" in again

    post = Post.objects.get(title="Review number 3")
    post.body = "A new opening paragraph."
    with django_capture_on_commit_callbacks(execute=True):
        save_post(post)  # and the cache invalidation that follows the commit
    report = build_site(outdir)
    changed = set(report.changed)
    page = post.get_absolute_url().lstrip("/") + "index.html"
    assert page in changed
    assert "search-index.json" in changed
    # Only pages that show this post or its comments; never another post.
    others = {
        p.get_absolute_url().lstrip("/") + "index.html"
        for p in Post.objects.exclude(pk=post.pk)
    }
    assert not changed & others
    assert report.written == len(changed) < total // 4
    html = (outdir / post.get_absolute_url().lstrip("/") / "index.html").read_text()
    assert "A new opening paragraph." in html


def test_two_worker_processes_build_the_same_files(
    transactional_db, tmp_path, settings
):
    # On SQLite and on PostgreSQL alike: each worker opens its own connection.
    make_site(tmp_path, settings)
    one = build_site(tmp_path / "one", workers=1)
    two = build_site(tmp_path / "two", workers=2)
    assert two.pages == one.pages
    assert one.processes == 1
    assert two.processes == 2
    files = sorted(
        p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*")
    )
    assert files == sorted(
        p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*")
    )
    clock = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")
    for name in files:
        first = tmp_path / "one" / name
        if first.is_file() and name.name != MANIFEST:
            second = (tmp_path / "two" / name).read_bytes()
            assert clock.sub(b"", first.read_bytes()) == clock.sub(b"", second), name


def test_built_feeds_are_the_bytes_the_server_answers(site, client):
    """The build writes each feed in one pass (nothing to keep for an
    address asked once); the server keeps the entries and writes the head
    around them. A reader of either gets the same document."""
    build_site(site / "public")
    post = Post.objects.get(title="Review number 3")
    for path in (
        "/feed/",
        "/feed/atom/",
        "/comments/feed/",
        f"/comments/feed/{post.pk}/atom/",
    ):
        built = (site / "public" / path.lstrip("/") / "index.html").read_bytes()
        assert client.get(path).content == built, path
