"""What readers see of a series: part pages, the series page, feeds, JSON-LD."""

from __future__ import annotations

import json
import re

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.posts.actions import save_post
from afterword.posts.models import Post

pytestmark = pytest.mark.django_db


def json_ld_blocks(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S
        )
    ]


def publish(post, django_capture_on_commit_callbacks):
    post.status = Post.Status.PUBLISHED
    post.published_at = timezone.now() - timezone.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        save_post(post)


def test_part_page_shows_its_place_and_planned_parts_as_coming_soon(client, memories):
    series, one, _two = memories
    html = client.get(one.get_absolute_url()).content.decode()

    assert "Part 1 of 3 in the series" in html
    assert (
        f'<a href="{one.get_absolute_url()}" aria-current="page">'
        "Memories Part 1: Magnetic Rose</a>" in html
    )
    assert (
        '<span class="series-planned">Memories Part 2: Stink Bomb</span> '
        '<span class="series-soon">coming soon</span>' in html
    )
    assert (
        "Memories Part 3: Cannon Fodder</span> "
        '<span class="series-soon">coming soon (expected June 2027)</span>' in html
    )
    assert "/stink-bomb/" not in html
    assert "All parts (1 of 3 published)" in html


def test_previous_and_next_skip_unpublished_parts(
    client, memories, post_factory, writer, add_part
):
    series, one, _two = memories
    four = post_factory(author=writer, title="Epilogue", slug="epilogue")
    add_part(series, 4, post=four)

    first = client.get(one.get_absolute_url()).content.decode()
    last = client.get(four.get_absolute_url()).content.decode()

    assert (
        f'<a href="{four.get_absolute_url()}" rel="next">'
        "Next part: Memories Part 4: Epilogue</a>" in first
    )
    assert 'rel="prev">Previous part' not in first
    assert (
        f'<a href="{one.get_absolute_url()}" rel="prev">'
        "Previous part: Memories Part 1: Magnetic Rose</a>" in last
    )
    assert "Part 4 of 4" in last


def test_title_pattern_is_per_series_and_can_be_off(
    client, memories, django_capture_on_commit_callbacks
):
    series, one, _two = memories
    series.title_pattern = "{title} ({series}, part {n})"
    with django_capture_on_commit_callbacks(execute=True):
        series.save()
    assert (
        "Magnetic Rose (Memories, part 1)"
        in client.get(one.get_absolute_url()).content.decode()
    )

    series.title_pattern = ""
    with django_capture_on_commit_callbacks(execute=True):
        series.save()
    html = client.get(series.get_absolute_url()).content.decode()
    assert f'<a href="{one.get_absolute_url()}">Magnetic Rose</a>' in html


def test_series_page_shows_description_progress_and_parts(client, memories):
    series, one, _two = memories
    html = client.get(
        reverse("series:detail", kwargs={"slug": "memories"})
    ).content.decode()

    assert "<p>Three short films, <em>three</em> reviews.</p>" in html
    assert '<p class="series-progress">1 of 3 published</p>' in html
    assert (
        f'<a href="{one.get_absolute_url()}">Memories Part 1: Magnetic Rose</a>' in html
    )
    assert "coming soon (expected June 2027)" in html
    assert reverse("series:atom", kwargs={"slug": "memories"}) in html


def test_series_index_lists_every_series_with_its_length(client, memories, make_series):
    make_series(title="Solaris, three ways", slug="solaris")
    html = client.get(reverse("series:index")).content.decode()
    assert (
        '<a href="/series/memories/">Memories</a> '
        '<span class="series-count">(3 parts)</span>' in html
    )
    assert (
        '<a href="/series/solaris/">Solaris, three ways</a> '
        '<span class="series-count">(0 parts)</span>' in html
    )


def test_publishing_a_part_updates_cached_pages_and_feed_with_no_edit(
    client, memories, django_capture_on_commit_callbacks, settings
):
    settings.AFTERWORD_PAGE_CACHE = True
    series, one, two = memories
    series_url = series.get_absolute_url()
    client.get(one.get_absolute_url())
    cached = client.get(one.get_absolute_url())
    assert cached.headers["X-Page-Cache"] == "hit"
    client.get(series_url)
    assert client.get(series_url).headers["X-Page-Cache"] == "hit"

    publish(two, django_capture_on_commit_callbacks)

    part_page = client.get(one.get_absolute_url())
    assert part_page.headers["X-Page-Cache"] == "miss"
    link = f'<a href="{two.get_absolute_url()}">Memories Part 2: Stink Bomb</a>'
    assert link in part_page.content.decode()
    assert link in client.get(series_url).content.decode()
    assert "2 of 3 published" in client.get(series_url).content.decode()
    feed = feedparser.parse(
        client.get(reverse("series:atom", kwargs={"slug": "memories"})).content
    )
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == [
        "Memories Part 2: Stink Bomb",
        "Memories Part 1: Magnetic Rose",
    ]
    assert feed.entries[0].link == settings.SITE_URL + two.get_absolute_url()


def test_series_feeds_parse_and_hold_only_published_parts(client, memories):
    for name in ("series:rss", "series:atom"):
        response = client.get(reverse(name, kwargs={"slug": "memories"}))
        feed = feedparser.parse(response.content)
        assert not feed.bozo, name
        assert [entry.title for entry in feed.entries] == [
            "Memories Part 1: Magnetic Rose"
        ]
        assert feed.feed.title.endswith(": Memories")


def test_part_page_json_ld_marks_it_part_of_the_series(client, memories, settings):
    series, one, _two = memories
    html = client.get(one.get_absolute_url()).content.decode()
    [part] = [block for block in json_ld_blocks(html) if "isPartOf" in block]
    site = settings.SITE_URL
    assert part["@id"] == site + one.get_absolute_url()
    assert part["position"] == 1
    assert part["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "@id": site + "/series/memories/",
        "name": "Memories",
        "url": site + "/series/memories/",
    }


def test_series_page_json_ld_lists_published_parts(client, memories, settings):
    series, one, _two = memories
    html = client.get(series.get_absolute_url()).content.decode()
    [data] = [
        block
        for block in json_ld_blocks(html)
        if block.get("@type") == "CreativeWorkSeries"
    ]
    assert data["numberOfItems"] == 3
    assert data["hasPart"] == [
        {
            "@type": "BlogPosting",
            "@id": settings.SITE_URL + one.get_absolute_url(),
            "url": settings.SITE_URL + one.get_absolute_url(),
            "name": "Memories Part 1: Magnetic Rose",
            "position": 1,
        }
    ]


def test_a_post_outside_any_series_shows_no_series_box(client, post_factory, writer):
    post = post_factory(author=writer)
    assert "series-box" not in client.get(post.get_absolute_url()).content.decode()


def test_part_and_series_pages_cost_the_same_queries_whatever_the_length(
    client, memories, add_part, post_factory, writer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    series, one, _two = memories

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(one.get_absolute_url())  # warm per-process caches first
    part_before = count(one.get_absolute_url())
    series_before = count(series.get_absolute_url())
    for n in range(4, 14):
        post = post_factory(author=writer, title=f"Extra {n}", slug=f"extra-{n}")
        add_part(series, n, post=post)
        add_part(series, 100 + n, planned_title=f"Plan {n}")

    with django_assert_num_queries(part_before):
        html = client.get(one.get_absolute_url()).content.decode()
    assert "Part 1 of 23" in html
    with django_assert_num_queries(series_before):
        html = client.get(series.get_absolute_url()).content.decode()
    assert "11 of 23 published" in html


def test_an_unpublished_part_never_shows_its_drafts_own_title(
    client, memories, post_factory, writer, add_part
):
    """The working title is the writer's public promise; the draft's title is
    not announced until the post is live."""
    series, one, two = memories
    two.title = "Stink Bomb: the twist revealed"
    two.save()
    untitled = post_factory(
        author=writer, title="Secret epilogue", slug="epilogue", status="draft"
    )
    add_part(series, 4, post=untitled)

    html = client.get(one.get_absolute_url()).content.decode()

    assert "Memories Part 2: Stink Bomb</span>" in html
    assert "the twist revealed" not in html
    assert "Secret epilogue" not in html
    assert "Memories Part 4: Untitled part</span>" in html
