"""The static build's fast path renders the same bytes as the views.

``portability/prepared.py`` renders posts, listings and comment feeds from
data read once for the whole site. Every file of a build made that way must
equal the file the views themselves render, on a site with everything a page
can show: series, catalog links and ratings, pages, sticky posts, threaded
comments, several authors.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from afterword.catalog.actions import link_post_to_work
from afterword.catalog.models import Role, Work
from afterword.catalog.roles import seed_roles
from afterword.portability.buildstate import MANIFEST
from afterword.portability.staticsite import BATCHES, build_site
from afterword.posts.actions import save_post
from afterword.posts.models import Post
from afterword.webmention.models import Webmention

CLOCK = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8000"
    # Short pages: listings run to several, and the fast path reuses what it
    # found for a listing's first page (its tag, author, month) on the rest.
    settings.AFTERWORD_PAGE_SIZE = 2
    seed_roles(Role)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
        # A pinned post, and a second post about a work, with a rating.
        pinned = Post.objects.posts().live().order_by("published_at").first()
        pinned.sticky = True
        save_post(pinned)
        work = Work.objects.order_by("pk").first()
        other = Post.objects.posts().live().exclude(pk=pinned.pk).last()
        link_post_to_work(other, work, rating=4)
        # Mentions under two posts: the fast path reads them all at once.
        for n, post in enumerate((pinned, other)):
            Webmention.objects.create(
                post=post,
                source=f"https://site{n}.example/p",
                target=f"http://127.0.0.1:8000{post.get_absolute_url()}",
                source_domain=f"site{n}.example",
                kind=Webmention.Kind.REPLY if n else Webmention.Kind.LIKE,
                status=Webmention.Status.APPROVED,
                author_name=f"Person {n}",
                author_url=f"https://site{n}.example/",
                content="A reply from elsewhere.",
                url=f"https://site{n}.example/p",
            )


def files_of(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }


@pytest.mark.parametrize("prepare", [True, BATCHES])
def test_prepared_pages_are_the_views_pages_byte_for_byte(demo, tmp_path, prepare):
    by_views = build_site(tmp_path / "views", prepare=False)
    prepared = build_site(tmp_path / "prepared", prepare=prepare)
    assert (prepared.prepared, prepared.batched) == (
        prepare is True,
        prepare == BATCHES,
    )
    assert prepared.pages == by_views.pages > 50
    expected = files_of(tmp_path / "views")
    found = files_of(tmp_path / "prepared")
    assert sorted(found) == sorted(expected)
    differing = [
        name
        for name, data in expected.items()
        if CLOCK.sub(b"", data) != CLOCK.sub(b"", found[name])
    ]
    assert differing == []
    # The site has what the fast path must get right.
    assert Post.objects.filter(sticky=True).exists()
    assert any(name.startswith("series/") for name in found)
    assert any(name.startswith("comments/feed/") for name in found)
    assert b"entry-sticky" in found["index.html"]
    assert sum(b"Person 1" in data for data in found.values()) >= 1
    for listing in ("page/2/", "author/", "category/", "tag/"):
        assert any(
            name.startswith(listing) and "/page/2/" in f"/{name}" for name in found
        ), listing
        # The listing views print their pages' static addresses themselves
        # (``PostListView.page_url``); nothing rewrote ``?page=N`` after.
        for name, data in found.items():
            if name.startswith(listing) and name.endswith(".html"):
                assert b"?page=" not in data, name


@pytest.mark.parametrize("prepare", [False, True])
def test_listings_render_their_static_page_addresses_themselves(
    demo, tmp_path, prepare
):
    """A listing's page links are the build's folders, as its view prints them."""
    from afterword.portability.prepared import PreparedSite
    from afterword.portability.staticsite import Builder, BuildOptions
    from afterword.posts.models import Tag

    builder = Builder(tmp_path, BuildOptions())
    builder.prepared = PreparedSite() if prepare else None
    tag = max(Tag.objects.all(), key=lambda t: t.posts.count())
    address = tag.get_absolute_url()
    body, _ = builder.render(f"{address}page/2/")
    html = body.decode()
    assert f'href="{address}"' in html
    assert "?page=" not in html
    first, _ = builder.render(address)
    assert f'href="{address}page/2/"' in first.decode()


def test_a_site_too_large_to_hold_is_read_batch_by_batch(demo, tmp_path, monkeypatch):
    """Above ``PREPARE_UP_TO`` listed posts nothing is read up front: memory
    stays what one batch of pages needs, whatever the size of the site."""
    from afterword.portability import staticsite

    assert build_site(tmp_path / "held").prepared
    monkeypatch.setattr(staticsite, "PREPARE_UP_TO", 1)
    report = build_site(tmp_path / "streamed")
    assert not report.prepared and report.batched
    assert report.pages > 50
