"""Titles, descriptions, canonical URLs, OpenGraph, Twitter cards and JSON-LD."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory

from afterword.posts import seo
from afterword.posts.models import Post

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """Collects <title>, <meta>, <link rel=canonical> and JSON-LD of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.title = ""
        self.json_ld: list[dict] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json":
            self.json_ld.append(json.loads(data))


def head_of(client, url: str) -> HeadParser:
    response = client.get(url)
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def review(post_factory, writer, image_factory, settings):
    settings.SITE_URL = "https://critic.example.test"
    settings.SITE_NAME = "The Long Take"
    image = image_factory(size=(1600, 900), alt="Two figures on a pier")
    writer.display_name = "Mira Holt"
    writer.save()
    return post_factory(
        author=writer,
        title="Harbour Lights </script> revisited",
        slug="harbour-lights",
        body="A quiet film.\n\n::: spoiler The ending\nThe ship sinks.\n:::\n",
        excerpt="A quiet film about waiting, reviewed without spoilers.",
        featured_image=image,
        published_at=datetime(2024, 2, 3, 10, 0, tzinfo=UTC),
    )


def test_post_meta_values(review):
    meta = seo.post_meta(review)

    assert meta.title == "Harbour Lights </script> revisited"
    assert meta.document_title == "Harbour Lights </script> revisited · The Long Take"
    assert meta.description == "A quiet film about waiting, reviewed without spoilers."
    assert meta.url == "https://critic.example.test/2024/02/harbour-lights/"
    assert meta.og_type == "article"
    assert meta.published == "2024-02-03T10:00:00+00:00"
    assert (
        meta.image.url == "https://critic.example.test" + review.featured_image.file.url
    )
    assert (meta.image.width, meta.image.height) == (1600, 900)
    assert meta.image.alt == "Two figures on a pier"
    assert meta.twitter_card == "summary_large_image"


def test_blog_posting_json_ld(review):
    data = seo.post_meta(review).json_ld
    url = "https://critic.example.test/2024/02/harbour-lights/"

    assert data["@type"] == "BlogPosting"
    assert data["headline"] == review.title
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == "2024-02-03T10:00:00+00:00"
    assert data["dateModified"] == review.updated_at.isoformat()
    assert data["author"] == {
        "@type": "Person",
        "name": "Mira Holt",
        "url": "https://critic.example.test/author/writer/",
    }
    assert data["publisher"]["name"] == "The Long Take"
    assert data["image"]["url"].endswith(review.featured_image.file.url)
    assert (
        data["description"] == "A quiet film about waiting, reviewed without spoilers."
    )


def test_description_falls_back_to_the_spoiler_free_summary(post_factory, writer):
    post = post_factory(
        author=writer,
        body="The set-up is simple.\n\n::: spoiler Twist\nThe narrator is dead.\n:::\n",
    )
    meta = seo.post_meta(post)
    assert meta.description.startswith("The set-up is simple.")
    assert "narrator" not in meta.description


def test_long_descriptions_are_cut_on_a_word():
    text = "word " * 100
    described = seo.describe(text)
    assert len(described) <= seo.DESCRIPTION_CHARS
    assert described.endswith("word…")


def test_post_page_head_carries_every_tag(client, review):
    head = head_of(client, review.get_absolute_url())
    url = "https://critic.example.test/2024/02/harbour-lights/"
    image_url = "https://critic.example.test" + review.featured_image.file.url

    assert head.title == "Harbour Lights </script> revisited · The Long Take"
    assert head.canonical == [url]
    assert head.meta["description"] == review.summary
    assert head.meta["og:title"] == review.title
    assert head.meta["og:description"] == review.summary
    assert head.meta["og:url"] == url
    assert head.meta["og:type"] == "article"
    assert head.meta["og:site_name"] == "The Long Take"
    assert head.meta["og:image"] == image_url
    assert head.meta["og:image:width"] == "1600"
    assert head.meta["og:image:alt"] == "Two figures on a pier"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == image_url
    assert head.meta["twitter:title"] == review.title
    assert [d["@type"] for d in head.json_ld] == ["BlogPosting"]
    assert head.json_ld[0]["headline"] == review.title


def test_json_ld_cannot_close_its_script_element(client, review):
    html = client.get(review.get_absolute_url()).content.decode()
    script = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S
    )
    assert "</script>" not in script.group(1)
    assert "\\u003C/script\\u003E" in script.group(1)
    assert re.search(r'<script type="application/ld\+json" nonce="[^"]+">', html)


@pytest.mark.parametrize(
    ("url", "title", "canonical"),
    [
        ("/", "The Long Take", "https://critic.example.test/"),
        (
            "/tag/drama/",
            "Tag: Drama · The Long Take",
            "https://critic.example.test/tag/drama/",
        ),
        (
            "/tag/drama/?page=1&utm_source=x",
            "Tag: Drama · The Long Take",
            "https://critic.example.test/tag/drama/",
        ),
        (
            "/category/film/",
            "Category: Film · The Long Take",
            "https://critic.example.test/category/film/",
        ),
        (
            "/author/writer/",
            "Writer · The Long Take",
            "https://critic.example.test/author/writer/",
        ),
        (
            "/2024/02/",
            "February 2024 · The Long Take",
            "https://critic.example.test/2024/02/",
        ),
        ("/about/", "About · The Long Take", "https://critic.example.test/about/"),
    ],
)
def test_every_page_has_title_description_canonical_and_card(
    client, post_factory, writer, settings, url, title, canonical
):
    from tests import factories

    settings.SITE_URL = "https://critic.example.test"
    settings.SITE_NAME = "The Long Take"
    post = post_factory(author=writer, published_at=datetime(2024, 2, 1, tzinfo=UTC))
    post.tags.add(factories.TagFactory(name="Drama", slug="drama"))
    post.categories.add(factories.CategoryFactory(name="Film", slug="film"))
    post_factory(author=writer, kind=Post.Kind.PAGE, title="About", slug="about")

    head = head_of(client, url)

    assert head.title == title
    assert head.canonical == [canonical]
    assert head.meta["og:url"] == canonical
    assert head.meta["description"]
    assert head.meta["og:description"] == head.meta["description"]
    assert head.meta["og:site_name"] == "The Long Take"
    assert head.meta["twitter:card"] == "summary"
    assert head.json_ld == []


def test_second_page_of_an_archive_is_its_own_canonical_page(settings):
    settings.SITE_URL = "https://critic.example.test/"
    request = RequestFactory().get("/tag/drama/", {"page": "2", "ref": "feed"})
    meta = seo.page_meta(request, title="Tag: Drama")
    assert meta.url == "https://critic.example.test/tag/drama/?page=2"


def test_pages_of_other_apps_get_a_canonical_url_without_building_meta(
    client, settings
):
    settings.SITE_URL = "https://critic.example.test"
    head = head_of(client, "/search/?q=harbour")
    assert head.canonical == ["https://critic.example.test/search/"]
    assert head.meta["og:url"] == "https://critic.example.test/search/"
    assert head.meta["description"]
