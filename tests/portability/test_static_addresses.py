"""A static copy's addresses, as the views print them: under a base path, or
relative to each page, with what needs a server on the server.

The build edits no page after rendering it (``core.staticcopy``): every
address below comes from ``reverse()``, a storage's ``url()`` or a stored
body printed under the page's script prefix. These tests read every file of
a copy of the demo site and check each address it names.
"""

from __future__ import annotations

import json
import posixpath
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from afterword.portability.staticsite import BuildOptions, build_site, check_links
from afterword.posts.actions import save_post
from afterword.posts.models import Post

ATTRIBUTE = re.compile(r'\s(href|src|action|data-token-url|srcset|content)="([^"]*)"')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')
FEED_ADDRESS = re.compile(r'(?:href="|<link>|<id>|<loc>)(https?://[^"<]+)')


@pytest.fixture
def demo(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
        # A writer's own link from the root, stored in the body's HTML.
        post = Post.objects.posts().live().order_by("published_at").first()
        post.body += "\n\nMore on [the front page](/)."
        save_post(post)
    return post


def pages(folder: Path):
    for page in sorted(folder.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if html.lstrip().startswith("<!doctype html>"):
            yield "/" + page.relative_to(folder).parent.as_posix().strip("."), html


def addresses(html: str) -> list[str]:
    found = []
    for name, value in ATTRIBUTE.findall(html):
        if name == "srcset":
            found += [item.strip().split(" ")[0] for item in value.split(",")]
        elif name != "content" or value.startswith(("/", "http")):
            found.append(value)
    return found


def page_path(folder_path: str) -> str:
    return folder_path.rstrip("/") + "/" if folder_path != "/" else "/"


def test_a_copy_under_a_base_path_names_everything_under_it(demo, tmp_path):
    folder = tmp_path / "blog"
    build_site(
        folder,
        BuildOptions(
            base_url="https://example.org/blog/",
            comments_endpoint="https://live.example",
        ),
    )
    checked = 0
    for path, html in pages(folder):
        for value in addresses(html):
            if value.startswith("/") and not value.startswith("//"):
                assert value.startswith("/blog/"), (path, value)
            elif "example.org" in value:
                assert value.startswith("https://example.org/blog/"), (path, value)
            checked += 1
        canonical = CANONICAL.search(html)
        if canonical:
            assert canonical.group(1) == "https://example.org/blog" + page_path(path)
    assert checked > 1000
    assert check_links(folder, "/blog") == []

    post_page = (
        folder / demo.get_absolute_url().lstrip("/") / "index.html"
    ).read_text()
    # The writer's link and the bodies' pictures, stored for the live site.
    assert 'href="/blog/">the front page</a>' in post_page
    figures = [
        html
        for _, html in pages(folder)
        if re.search(r'<figure.*srcset="/blog/media/', html)
    ]
    assert figures
    # Posting goes to the live site, at its own addresses; so do the
    # endpoints the page names to programs.
    assert '<link rel="micropub" href="https://live.example/micropub"' in post_page
    assert f'action="https://live.example/comments/post/{demo.pk}/"' in post_page
    assert (
        f'data-token-url="https://live.example/comments/token/{demo.pk}/"' in post_page
    )

    for name in ("feed/index.html", "feed/atom/index.html", "sitemap.xml"):
        text = (folder / name).read_text()
        found = FEED_ADDRESS.findall(text)
        assert found, name
        for address in found:
            if "example.org" in address:
                assert address.startswith("https://example.org/blog/"), address
                assert "/blog/blog/" not in address, address


def test_relative_links_resolve_from_each_page_and_absolute_ones_stay(demo, tmp_path):
    folder = tmp_path / "relative"
    build_site(folder, BuildOptions(relative=True))
    for path, html in pages(folder):
        for value in addresses(html):
            assert not (value.startswith("/") and not value.startswith("//")), (
                path,
                value,
            )
            if value.startswith("http://127.0.0.1:8000"):
                assert "/../" not in value and "/./" not in value, (path, value)
        canonical = CANONICAL.search(html)
        if canonical:
            assert canonical.group(1) == "http://127.0.0.1:8000" + page_path(path)
    assert check_links(folder) == []

    # The search index names each post from the search page's folder.
    index = json.loads((folder / "search-index.json").read_text())
    for entry in index:
        target = posixpath.normpath(posixpath.join("/search", entry["url"]))
        assert (folder / target.lstrip("/") / "index.html").is_file(), entry["url"]

    # Feeds are not pages: their addresses are absolute.
    feed = (folder / "feed" / "index.html").read_text()
    assert "http://127.0.0.1:8000" + demo.get_absolute_url() in feed
    assert "../" not in feed


def test_a_copy_without_a_server_offers_no_form(demo, tmp_path):
    folder = tmp_path / "plain"
    build_site(folder)
    for path, html in pages(folder):
        # The header's search form reads the copy's own index; nothing posts.
        assert 'method="post"' not in html, path
        assert "nonce=" not in html, path
        assert "/comments/post/" not in html and "/follow/" not in html, path
        assert "beacon.js" not in html and 'rel="micropub"' not in html, path
    post_page = (
        folder / demo.get_absolute_url().lstrip("/") / "index.html"
    ).read_text()
    # Followers can still use the feeds.
    assert 'class="follow-feeds"' in post_page


def test_the_command_checks_links_under_the_base_path(demo, tmp_path):
    out = StringIO()
    call_command(
        "build",
        str(tmp_path / "site"),
        "--base-url",
        "https://example.org/blog/",
        "--no-comment-form",
        "--check-links",
        stdout=out,
    )
    assert "Link check: 0 broken links." in out.getvalue()
    page = tmp_path / "site" / demo.get_absolute_url().lstrip("/") / "index.html"
    html = page.read_text()
    assert 'id="commentform"' not in html and 'href="/blog/"' in html
