"""Listings show a post's first figure in plain view, never one a spoiler hides.

Posts are written through the admin's post form, as a writer would, and the
listings are read through the test client as an anonymous reader.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from afterword.posts.models import Post
from tests import factories

SPOILED = """The salvage crew answers a distress call from a derelict.

::: spoiler How Magnetic Rose ends
![Heintz alone in the ruined ballroom](/media/ballroom.png)
Heintz stays behind in the illusion.
:::

The score carries the whole of the middle act.

![The derelict station over a gas giant](/media/station.png)
The station, first seen through a porthole.
"""

ONLY_SPOILED = """Nothing to look at before the end.

::: spoiler The last shot
![The rose garden at the very end](/media/garden.png)
The garden, at last.
:::
"""

# A link title holding figure markup: inert text, whatever nh3 makes of it.
TITLE_TRAP = (
    'See [the station](/station/ "<figure><img src=/media/trap.png '
    'onerror=alert(1)></figure></a>") for the plan.\n\n'
    "![The real first frame](/media/real.png)\nThe real caption.\n"
)

SECRETS = ["ballroom", "Heintz", "garden.png", "The garden, at last"]


@pytest.fixture(autouse=True)
def no_other_inlines(settings):
    """Post the form without the inlines other apps add."""
    settings.AFTERWORD_POST_ADMIN_INLINES = []


@pytest.fixture
def terms(db):
    return (
        factories.TagFactory(name="Anthology", slug="anthology"),
        factories.CategoryFactory(name="Anime", slug="anime"),
    )


@pytest.fixture
def desk(client, writer):
    client.force_login(writer)
    return client


def write(desk, writer, terms, title, slug, body) -> Post:
    tag, category = terms
    response = desk.post(
        reverse("admin:posts_post_add"),
        {
            "title": title,
            "slug": slug,
            "body": body,
            "excerpt": "",
            "status": Post.Status.PUBLISHED,
            "published_at": "",
            "author": writer.pk,
            "comments_open": "on",
            "tags": [tag.pk],
            "categories": [category.pk],
            "revision_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.get(slug=slug)


def cards(html: str) -> dict[str, str]:
    """Each listed post's card, by its title."""
    found = {}
    for card in re.findall(r'<article class="entry.*?</article>', html, re.S):
        title = re.search(r'<h2 class="entry-title"><a [^>]*>(.*?)</a>', card)
        found[title.group(1)] = card
    return found


LISTINGS = {
    "home": lambda writer: reverse("posts:home"),
    "tag": lambda writer: reverse("posts:tag", kwargs={"slug": "anthology"}),
    "category": lambda writer: reverse("posts:category", kwargs={"slug": "anime"}),
    "author": lambda writer: reverse(
        "posts:author", kwargs={"username": writer.username}
    ),
}


@pytest.mark.parametrize("listing", LISTINGS)
def test_listing_image_is_the_first_figure_outside_spoilers(
    client, desk, writer, terms, listing
):
    write(desk, writer, terms, "Magnetic Rose", "magnetic-rose", SPOILED)
    write(desk, writer, terms, "The last shot", "last-shot", ONLY_SPOILED)
    client.logout()

    response = client.get(LISTINGS[listing](writer))

    assert response.status_code == 200
    html = response.content.decode()
    listed = cards(html)
    assert set(listed) == {"Magnetic Rose", "The last shot"}
    image = re.search(
        r'<div class="entry-image">(.*?)</div>', listed["Magnetic Rose"], re.S
    )
    assert image is not None
    assert image.group(1).startswith(
        '<figure class="figure"><img src="/media/station.png"'
        ' alt="The derelict station over a gas giant" decoding="async">'
        "<figcaption>The station, first seen through a porthole.</figcaption>"
    )
    # The post whose only figure is a spoiler shows none at all.
    assert "entry-image" not in listed["The last shot"]
    for secret in SECRETS:
        assert secret not in html


def test_figure_markup_in_a_link_title_never_becomes_the_listing_image(
    client, desk, writer, terms
):
    write(desk, writer, terms, "Stink Bomb", "stink-bomb", TITLE_TRAP)
    client.logout()

    html = client.get(reverse("posts:home")).content.decode()

    [card] = cards(html).values()
    [image] = re.findall(r'<div class="entry-image">(.*?)</div>', card, re.S)
    assert image.startswith('<figure class="figure"><img src="/media/real.png"')
    assert "trap.png" not in image
    assert "<img src=/media/trap.png" not in html
    assert "onerror" not in html
