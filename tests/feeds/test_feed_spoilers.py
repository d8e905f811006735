"""Full-content feeds carry no spoiler text: a notice points to it instead.

A feed reader shows a post whole, with no way to keep a spoiler closed, so
every feed that carries whole posts (the site's, a tag's, a category's, a
series', a work's and a person's) gets each spoiler block as a notice that
names it and links to it on the post's page. Read with feedparser, as a feed
reader would.
"""

from __future__ import annotations

import re

import feedparser
import pytest
from django.urls import reverse

from tests import factories
from tests.catalog.conftest import catalog, review  # noqa: F401
from tests.series.conftest import add_part, make_series  # noqa: F401

BODY = """The segment opens on a salvage crew answering a distress call.

::: spoiler How it ends
Heintz stays behind in the quiltwork illusion forever.[^crew] The salvage
ship leaves without him.[^ship]

![Heintz in the ballroom of his memories](/media/ballroom.png)
The ballroom, where he chooses to stay.

[^crew]: Only the engineer makes it out.
:::

The music carries the whole of the middle act.[^score]

[^score]: An opera recording runs under most of it.
[^ship]: Its name, the Corona, is never said aloud.
"""
# Notes written inside the spoiler, or only cited from it, are its text too.
SECRETS = ["quiltwork", "ballroom", "chooses to stay", "engineer", "Corona"]
NOTICE = "Spoiler (How it ends) hidden: read it on the site"

FEEDS = [
    ("feeds:rss", None),
    ("feeds:atom", None),
    ("feeds:tag-rss", "anthology"),
    ("feeds:tag-atom", "anthology"),
    ("feeds:category-rss", "anime"),
    ("feeds:category-atom", "anime"),
    ("series:rss", "memories"),
    ("series:atom", "memories"),
    ("catalog:work-rss", "magnetic-rose-1995"),
    ("catalog:work-atom", "memories-1995"),
    ("catalog:person-rss", "koji-morimoto"),
    ("catalog:person-atom", "koji-morimoto"),
]


@pytest.fixture
def spoiled(catalog, review, make_series, add_part):  # noqa: F811
    post = review(
        catalog["magnetic-rose-1995"], spoilers=True, body=BODY, title="Magnetic Rose"
    )
    post.tags.add(factories.TagFactory(name="Anthology", slug="anthology"))
    post.categories.add(factories.CategoryFactory(name="Anime", slug="anime"))
    add_part(make_series(), 1, post=post)
    return post


@pytest.mark.parametrize(("name", "slug"), FEEDS)
def test_full_content_feed_replaces_each_spoiler_with_a_link_to_it(
    client, settings, spoiled, name, slug
):
    url = reverse(name, kwargs={"slug": slug} if slug else {})
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    post_url = settings.SITE_URL + spoiled.get_absolute_url()
    [entry] = [e for e in feed.entries if e.link == post_url]

    raw = response.content.decode()
    for secret in SECRETS:
        assert secret not in raw
    content = entry.content[0].value
    assert "The music carries the whole of the middle act." in content
    assert "An opera recording runs under most of it." in content
    assert f'<p><a href="{post_url}#spoiler-1">{NOTICE}</a>.</p>' in content


def test_the_notice_leads_to_the_closed_spoiler_on_the_post_page(client, spoiled):
    html = client.get(spoiled.get_absolute_url()).content.decode()

    spoilers = {
        found.group(1): found.group(2)
        for found in re.finditer(
            r'<details class="spoiler" id="(spoiler-\d)">(.*?)</details>', html, re.S
        )
    }
    assert list(spoilers) == ["spoiler-1", "spoiler-2", "spoiler-3"]
    assert "<summary>Spoiler: How it ends</summary>" in spoilers["spoiler-1"]
    assert "quiltwork illusion" in spoilers["spoiler-1"]
    # Its notes, printed at the end of the post, are spoilers of their own.
    assert "Only the engineer makes it out." in spoilers["spoiler-2"]
    assert "the Corona, is never said aloud" in spoilers["spoiler-3"]
    outside = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    for secret in SECRETS:
        assert secret not in outside
