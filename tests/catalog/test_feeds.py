"""A work's and a person's feeds: the same entries however they are found.

A subject with few links to posts has them gathered and sorted; one with
many has the posts walked newest first and each checked
(``posts.linked``). Both ways must list the same posts.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from afterword.posts import linked

from .conftest import credit

TITLES = re.compile(r"<item><title>([^<]*)</title>")


def feed_titles(client, name: str, slug: str) -> list[str]:
    return TITLES.findall(client.get(reverse(name, args=[slug])).content.decode())


@pytest.mark.parametrize("gathered_up_to", [0, 500])
def test_feeds_list_the_same_posts_gathered_or_walked(
    make_work, person, review, post_factory, client, monkeypatch, gathered_up_to
):
    monkeypatch.setattr(linked, "GATHERED_UP_TO", gathered_up_to)
    anthology = make_work(title="Memories")
    segment = make_work(title="Magnetic Rose", parent=anthology)
    other = make_work(title="Akira")
    credit(anthology, person, "director")
    credit(other, person, "screenplay")
    review(segment, title="On the segment")
    review(anthology, title="On the anthology")
    review(other, title="On Akira")
    post_factory(title="About nothing catalogued")

    assert feed_titles(client, "catalog:work-rss", anthology.slug) == [
        "On the anthology",
        "On the segment",
    ]
    assert feed_titles(client, "catalog:person-rss", person.slug) == [
        "On Akira",
        "On the anthology",
    ]
