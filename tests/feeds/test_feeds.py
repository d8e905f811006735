"""Feeds, sitemap.xml and robots.txt, read the way feed readers and crawlers do."""

from __future__ import annotations

import feedparser
import pytest
from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from afterword.feeds.absolute import absolutize
from afterword.feeds.feeds import FEED_SIZE
from afterword.feeds.sitemaps import SITEMAPS, part_path
from afterword.posts.models import Post
from tests import factories
from tests.support.sitemaps import part_addresses, sitemap_entries

BODY = """::: spoiler Who the killer is
The butler did it, with the candlestick.
:::

The opening shot holds for a long time.[^1]

![Rain on a window](/media/still.jpg "The first frame")

See [the about page](/about/) and [my earlier review](../earlier/).

The final paragraph keeps the whole review in the feed.

[^1]: About four minutes.
"""

FEED_NAMES = ["feeds:rss", "feeds:atom"]
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def blog(post_factory):
    """Two live posts in different terms, a draft, a future post and a page."""
    films = factories.CategoryFactory(name="Films", slug="films")
    anime = factories.CategoryFactory(name="Anime", slug="anime")
    noir = factories.TagFactory(name="Noir", slug="noir")
    now = timezone.now()
    mystery = post_factory(
        title="A slow mystery",
        slug="slow-mystery",
        body=BODY,
        published_at=now - timezone.timedelta(hours=2),
    )
    mystery.categories.add(films)
    mystery.tags.add(noir)
    ghibli = post_factory(
        title="A quiet Ghibli film",
        slug="quiet-ghibli",
        body="Wind and grass.",
        published_at=now - timezone.timedelta(hours=1),
    )
    ghibli.categories.add(anime)
    draft = post_factory(title="Half a thought", slug="half", status=Post.Status.DRAFT)
    draft.tags.add(noir)
    future = post_factory(
        title="Next week's review",
        slug="next-week",
        status=Post.Status.SCHEDULED,
        published_at=now + timezone.timedelta(days=7),
    )
    future.categories.add(films)
    page = post_factory(kind=Post.Kind.PAGE, title="About", slug="about", body="Me.")
    return {"mystery": mystery, "ghibli": ghibli, "page": page}


@pytest.mark.parametrize("name", FEED_NAMES)
def test_site_feed_lists_live_posts_newest_first(client, blog, name):
    parsed = parse(client, reverse(name))
    assert [e.title for e in parsed.entries] == [
        "A quiet Ghibli film",
        "A slow mystery",
    ]


@pytest.mark.parametrize("name", FEED_NAMES)
def test_feed_entries_carry_full_content_with_absolute_urls(
    client, blog, settings, name
):
    site = settings.SITE_URL
    entry = parse(client, reverse(name)).entries[1]
    post_url = site + blog["mystery"].get_absolute_url()
    assert entry.link == post_url
    content = entry.content[0].value
    assert "The final paragraph keeps the whole review in the feed." in content
    assert f'src="{site}/media/still.jpg"' in content
    assert f'href="{site}/about/"' in content
    month_url = blog["mystery"].get_absolute_url().removesuffix("slow-mystery/")
    assert f'href="{site}{month_url}earlier/"' in content
    assert 'src="/' not in content
    assert 'href="/' not in content
    assert entry.author == blog["mystery"].author.public_name
    assert {tag.term for tag in entry.tags} == {"Films", "Noir"}


@pytest.mark.parametrize("name", FEED_NAMES)
def test_feed_summary_leaves_out_spoilers(client, blog, name):
    entry = parse(client, reverse(name)).entries[1]
    assert "The opening shot holds for a long time." in entry.summary
    assert "butler" not in entry.summary
    # Nor in the full content, where a notice links to the spoiler instead.
    assert "butler" not in entry.content[0].value
    assert "Spoiler (Who the killer is) hidden" in entry.content[0].value


@pytest.mark.parametrize("name", FEED_NAMES)
def test_feed_ids_are_stable_across_edits(
    client, blog, name, django_capture_on_commit_callbacks
):
    from afterword.posts.actions import save_post

    before = parse(client, reverse(name)).entries[0].id
    post = blog["ghibli"]
    post.slug = "quiet-ghibli-renamed"
    with django_capture_on_commit_callbacks(execute=True):
        save_post(post)
    after = parse(client, reverse(name)).entries[0]
    assert after.id == before
    assert after.link.endswith("/quiet-ghibli-renamed/")


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_tag_feed_has_only_its_live_posts(client, blog, suffix):
    parsed = parse(client, reverse(f"feeds:tag-{suffix}", kwargs={"slug": "noir"}))
    assert [e.title for e in parsed.entries] == ["A slow mystery"]
    assert "Noir" in parsed.feed.title


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_category_feed_has_only_its_live_posts(client, blog, suffix):
    films = parse(client, reverse(f"feeds:category-{suffix}", kwargs={"slug": "films"}))
    anime = parse(client, reverse(f"feeds:category-{suffix}", kwargs={"slug": "anime"}))
    assert [e.title for e in films.entries] == ["A slow mystery"]
    assert [e.title for e in anime.entries] == ["A quiet Ghibli film"]


def test_unknown_term_feed_is_not_found(client, db):
    assert (
        client.get(reverse("feeds:tag-rss", kwargs={"slug": "nope"})).status_code == 404
    )
    url = reverse("feeds:category-atom", kwargs={"slug": "nope"})
    assert client.get(url).status_code == 404


def test_feed_content_types(client, blog):
    assert client.get(reverse("feeds:rss"))["Content-Type"].startswith(
        "application/rss+xml"
    )
    assert client.get(reverse("feeds:atom"))["Content-Type"].startswith(
        "application/atom+xml"
    )


def test_feed_holds_the_newest_twenty(client, post_factory):
    for number in range(FEED_SIZE + 2):
        post_factory(
            title=f"Review {number:02d}",
            published_at=timezone.now() - timezone.timedelta(minutes=60 - number),
        )
    entries = parse(client, reverse("feeds:atom")).entries
    assert len(entries) == FEED_SIZE
    assert entries[0].title == f"Review {FEED_SIZE + 1:02d}"


def _feed_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        # The posts with their authors, then their tags, then their categories,
        # and one to count the fetch (afterword.stats.middleware).
        ("feeds:rss", {}, 4),
        ("feeds:atom", {}, 4),
        # The same, after looking up the tag and counting its posts, no
        # further than posts.linked.GATHERED_UP_TO.
        ("feeds:tag-rss", {"slug": "busy"}, 6),
    ],
)
def test_feeds_cost_a_fixed_number_of_queries(
    client, post_factory, settings, name, kwargs, expected
):
    # Measure the feed itself, not the page cache replaying it.
    settings.AFTERWORD_PAGE_CACHE = False
    tag = factories.TagFactory(name="Busy", slug="busy")
    category = factories.CategoryFactory(name="Reviews", slug="reviews")

    def add_posts(count):
        for _ in range(count):
            post = post_factory(body="![A frame](/media/a.jpg)\n\nWords.")
            post.tags.add(tag, factories.TagFactory())
            post.categories.add(category)

    url = reverse(name, kwargs=kwargs)
    add_posts(3)
    _feed_queries(client, url)  # the first request also loads the current Site
    few = _feed_queries(client, url)
    add_posts(12)
    many = _feed_queries(client, url)
    assert few == many == expected
    assert len(parse(client, url).entries) == 15


def test_absolutize_rewrites_links_media_and_srcset():
    html = (
        '<a href="/x/">x</a> <a href="#fn1">1</a> <a href="mailto:a@b.c">m</a>'
        ' <a href="https://other.example/">o</a>'
        ' <img src="/media/a.jpg"'
        ' srcset="/media/a-480.webp 480w, /media/a-960.webp 960w">'
        ' <a href="//cdn.example/y">y</a>'
    )
    base = "https://blog.example/2026/01/post/"
    assert absolutize(html, base) == (
        '<a href="https://blog.example/x/">x</a>'
        ' <a href="https://blog.example/2026/01/post/#fn1">1</a>'
        ' <a href="mailto:a@b.c">m</a> <a href="https://other.example/">o</a>'
        ' <img src="https://blog.example/media/a.jpg"'
        ' srcset="https://blog.example/media/a-480.webp 480w,'
        ' https://blog.example/media/a-960.webp 960w">'
        ' <a href="https://cdn.example/y">y</a>'
    )


def test_head_links_name_site_and_term_feeds(blog):
    noir = factories.TagFactory(slug="noir")
    html = Template("{% include 'feeds/_head_links.html' %}").render(
        Context({"term": noir})
    )
    rss = reverse("feeds:rss")
    assert f'type="application/rss+xml" title="Afterword (RSS)" href="{rss}"' in html
    assert f'href="{reverse("feeds:atom")}"' in html
    assert f'href="{reverse("feeds:tag-rss", kwargs={"slug": "noir"})}"' in html
    assert f'href="{reverse("feeds:tag-atom", kwargs={"slug": "noir"})}"' in html
    assert html.count("<link") == 4
    bare = Template("{% include 'feeds/_head_links.html' %}").render(Context({}))
    assert bare.count("<link") == 2


def sitemap_urls(client) -> dict[str, str | None]:
    return sitemap_entries(client)


def test_sitemap_lists_live_content_with_lastmod(client, blog, settings):
    site = settings.SITE_URL
    urls = sitemap_urls(client)
    expected = {
        site + "/",
        site + blog["mystery"].get_absolute_url(),
        site + blog["ghibli"].get_absolute_url(),
        site + blog["page"].get_absolute_url(),
        site + reverse("posts:tag", kwargs={"slug": "noir"}),
        site + reverse("posts:category", kwargs={"slug": "films"}),
        site + reverse("posts:category", kwargs={"slug": "anime"}),
        site + blog["mystery"].author.get_absolute_url(),
        site + blog["ghibli"].author.get_absolute_url(),
    }
    assert set(urls) == expected
    dated = {
        site + "/",
        site + blog["mystery"].get_absolute_url(),
        site + blog["ghibli"].get_absolute_url(),
        site + blog["page"].get_absolute_url(),
    }
    # Posts, pages and the home page say when they changed; terms and
    # authors, as in WordPress's sitemaps, do not (feeds/sitemaps.py).
    assert {url for url, lastmod in urls.items() if lastmod} == dated
    assert urls[site + blog["mystery"].get_absolute_url()] == (
        timezone.localdate(blog["mystery"].updated_at).isoformat()
    )


def test_sitemap_leaves_out_drafts_and_future_posts(client, blog):
    urls = " ".join(sitemap_urls(client))
    assert "half" not in urls
    assert "next-week" not in urls


def test_robots_txt_shuts_admin_and_accounts_and_names_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /admin/\nDisallow: /accounts/\nAllow: /\n\n"
        f"Sitemap: {settings.SITE_URL}/sitemap.xml\n"
    )


def test_pages_announce_the_site_feeds_and_a_tag_page_its_own(client, blog):
    home = client.get(reverse("posts:home")).content.decode()
    atom = reverse("feeds:atom")
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert f'href="{atom}"' in home
    tag_page = client.get(
        reverse("posts:tag", kwargs={"slug": "noir"})
    ).content.decode()
    assert f'href="{reverse("feeds:tag-atom", kwargs={"slug": "noir"})}"' in tag_page


def test_sitemap_costs_a_fixed_number_of_queries(client, post_factory, settings):
    settings.AFTERWORD_PAGE_CACHE = False
    tag = factories.TagFactory(name="Busy", slug="busy")

    def add_posts(count):
        for _ in range(count):
            post_factory().tags.add(tag, factories.TagFactory())

    add_posts(3)
    addresses = [reverse("feeds:sitemap"), *part_addresses(client)]
    _feed_queries(client, addresses[0])
    few = [_feed_queries(client, address) for address in addresses]
    add_posts(12)
    assert [_feed_queries(client, address) for address in addresses] == few


@pytest.mark.parametrize("section", ["home", "posts", "pages", "tags", "authors"])
def test_sitemap_parts_are_the_bytes_djangos_template_writes(
    client, blog, settings, section
):
    """Parts are written without the template (``feeds.urlset``), byte for byte."""
    # Late evening in UTC is the next day in Auckland: dates are local ones.
    settings.TIME_ZONE = "Pacific/Auckland"
    Post.objects.filter(pk=blog["mystery"].pk).update(
        updated_at=timezone.now().replace(hour=23, minute=30)
    )
    response = client.get(part_path(section, 1))
    # Django's own entries too (the posts' part makes its own from values).
    entries = Sitemap.get_urls(SITEMAPS[section](), page=1)
    expected = render_to_string("sitemap.xml", {"urlset": entries})
    assert response["Content-Type"] == "application/xml"
    assert response.content.decode() == expected


def test_an_empty_sitemap_part_is_the_bytes_djangos_template_writes(client, db):
    response = client.get(part_path("posts", 1))
    assert response.content.decode() == render_to_string("sitemap.xml", {"urlset": []})


def test_a_sitemap_part_names_at_most_two_thousand_addresses(client, db):
    """docs/scale.md: past 2,000 posts the index names a second part of
    posts, and a crawler reading every part finds each post once."""
    writer = factories.UserFactory()
    start = timezone.now() - timezone.timedelta(days=30)
    # Made in bulk, as an import writes them: 2,001 saves would be minutes.
    Post.objects.bulk_create(
        Post(
            title=f"Short note {n}",
            slug=f"short-note-{n}",
            author=writer,
            body="A note.",
            body_html="<p>A note.</p>",
            status=Post.Status.PUBLISHED,
            published_at=start + timezone.timedelta(minutes=n),
        )
        for n in range(2_001)
    )
    parts = [path for path in part_addresses(client) if "-posts" in path]
    assert parts == [part_path("posts", 1), part_path("posts", 2)]
    named = {path: client.get(path).content.decode().count("<loc>") for path in parts}
    assert named == {parts[0]: 2_000, parts[1]: 1}
    entries = sitemap_entries(client)
    assert sum("/short-note-" in address for address in entries) == 2_001
