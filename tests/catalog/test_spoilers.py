"""Spoilers: the post's warning, and spoiler text kept out of every excerpt."""

import re

import feedparser
from django.urls import reverse

BODY = """The segment opens on a salvage crew answering a distress call.

::: spoiler How it ends
Heintz stays behind in the quiltwork illusion forever.
:::

The music carries the whole of the middle act.
"""
SECRET = "quiltwork"


def test_post_flagged_for_spoilers_warns_at_the_top(catalog, review, client):
    post = review(catalog["magnetic-rose-1995"], spoilers=True, body=BODY)
    html = client.get(post.get_absolute_url()).content.decode()
    warning = html.index('class="spoiler-warning"')
    assert warning < html.index('class="post-body')
    assert "gives away the story of" in html
    assert 'href="/catalog/works/magnetic-rose-1995/">Magnetic Rose (1995)</a>' in html


def test_post_without_the_flag_has_no_warning(catalog, review, client):
    post = review(catalog["magnetic-rose-1995"], body=BODY)
    assert "spoiler-warning" not in client.get(post.get_absolute_url()).content.decode()


def test_spoiler_text_stays_out_of_feed_summaries(catalog, review, client):
    review(catalog["magnetic-rose-1995"], spoilers=True, body=BODY, title="Rose")
    for url in [
        reverse("catalog:work-atom", args=["memories-1995"]),
        reverse("catalog:person-rss", args=["koji-morimoto"]),
        reverse("feeds:atom"),
    ]:
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, url
        assert [e.title for e in feed.entries] == ["Rose"], url
        assert "salvage crew" in feed.entries[0].summary
        assert SECRET not in feed.entries[0].summary, url


def test_spoiler_text_stays_out_of_the_search_snippet(catalog, review, client):
    review(catalog["magnetic-rose-1995"], spoilers=True, body=BODY, title="Rose")
    html = client.get(reverse("search:results"), {"q": "salvage"}).content.decode()
    snippets = re.findall(r'class="search-result-snippet">(.*?)</p>', html, re.S)
    assert len(snippets) == 1
    assert "salvage" in snippets[0]
    assert SECRET not in snippets[0]


def test_spoiler_text_stays_out_of_the_opengraph_description(catalog, review, client):
    post = review(catalog["magnetic-rose-1995"], spoilers=True, body=BODY)
    html = client.get(post.get_absolute_url()).content.decode()
    description = re.search(r'<meta property="og:description" content="([^"]*)"', html)
    assert "salvage crew" in description.group(1)
    assert SECRET not in description.group(1)
    # The text itself is on the page, hidden in a <details> element.
    assert SECRET in html
