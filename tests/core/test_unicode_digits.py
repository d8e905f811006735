"""Numbers in addresses, query parameters and form fields are ASCII digits.

Python's ``str.isdigit()``, ``int()`` and the regex ``\\d`` accept other
scripts' digits ('٣', '０', '߂') and ``isdigit()`` even superscripts ('²',
which ``int()`` then refuses). Every public place that reads a number must
answer such text with a 404 or a clear message, never a 500, and never read
'٣' as 3 (issue 11).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.catalog.models import Work
from afterword.discussion import defences
from afterword.discussion.models import Comment
from tests.factories import TagFactory

# A superscript two, an Arabic-Indic three, a fullwidth zero, an NKo two.
DIGITS = ["²", "٣", "０", "߂"]


@pytest.fixture
def site(client, post_factory, writer, settings):
    settings.AFTERWORD_FORM_TOKEN_MIN_AGE = 0
    # One post a page and three posts: '٣' would be a real page 3 to int().
    settings.AFTERWORD_PAGE_SIZE = 1
    tag = TagFactory(name="Anime", slug="anime")
    for n, title in enumerate(["Paprika again", "Paprika once more"]):
        post_factory(author=writer, title=title, slug=f"paprika-{n}").tags.add(tag)
    post = post_factory(author=writer, title="Paprika", slug="paprika")
    post.tags.add(tag)
    Work.objects.create(title="Memories", slug="memories-1995", year=1995)
    Work.objects.create(title="Paprika", slug="paprika-2006", year=2006)
    return post


def served(client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize("digit", DIGITS)
def test_month_archive_and_post_addresses_answer_404(client, site, digit):
    year, month = site.get_absolute_url().strip("/").split("/")[:2]
    urls = [
        f"/{year}/{digit}{digit}/",
        f"/{year}/0{digit}/",
        f"/{year}/{digit}/",
        f"/{year}/0{digit}/paprika/",
        f"/{year}/{month[0]}{digit}/paprika/",
    ]

    assert {url: served(client, url) for url in urls} == dict.fromkeys(urls, 404)


def test_years_a_calendar_cannot_hold_answer_404(client, site):
    urls = ["/0/01/", "/99999/01/", "/99999999999999999999999/01/"]

    assert {url: served(client, url) for url in urls} == dict.fromkeys(urls, 404)


@pytest.mark.parametrize("digit", DIGITS)
def test_page_numbers_in_listings_answer_404(client, site, digit):
    assert served(client, "/tag/anime/?page=3") == 200
    urls = [
        f"/?page={digit}",
        f"/tag/anime/?page={digit}",
        f"/author/writer/?page={digit}",
        f"/search/?q=paprika&page={digit}",
        f"/catalog/works/?page={digit}",
        f"/catalog/people/?page={digit}",
        f"/catalog/works/memories-1995/?page={digit}",
    ]

    assert {url: served(client, url) for url in urls} == dict.fromkeys(urls, 404)


@pytest.mark.parametrize("digit", DIGITS)
def test_catalog_year_filter_ignores_a_year_not_in_ascii_digits(client, site, digit):
    # '١٩٩٥' is 1995 to int(); it must not filter as 1995 (nor fail).
    arabic_1995 = "١٩٩٥"
    for year in (digit, digit * 4, arabic_1995, "9" * 30):
        response = client.get(f"/catalog/works/?year={year}")

        assert response.status_code == 200, year
        html = response.content.decode()
        assert "Memories" in html
        assert "Paprika" in html
        assert '<option value="">All years</option>' in html


@pytest.mark.parametrize("digit", DIGITS)
def test_following_a_target_with_other_digits_is_refused_clearly(client, site, digit):
    tag = site.tags.get()
    for target in (f"tag:{digit}", f"series:{digit}", f"category:{digit}{digit}"):
        response = client.post(
            reverse("subscriptions:follow"),
            {
                "email": "reader@example.test",
                "target": target,
                "token": defences.make_token("follow"),
            },
        )

        assert response.status_code == 400, target
        assert "There is nothing to follow at this address any more." in (
            response.content.decode()
        )
    assert tag.pk  # the ASCII key of the same tag still works:
    response = client.post(
        reverse("subscriptions:follow"),
        {
            "email": "reader@example.test",
            "target": f"tag:{tag.pk}",
            "token": defences.make_token("follow"),
        },
    )
    assert response.status_code == 200


@pytest.mark.parametrize("digit", DIGITS)
def test_reply_to_and_parent_with_other_digits(client, site, digit):
    page = client.get(f"{site.get_absolute_url()}?replytocom={digit}")
    assert page.status_code == 200

    response = client.post(
        reverse("discussion:post", args=[site.pk]),
        {
            "token": defences.make_token(f"post:{site.pk}"),
            "name": "Reader",
            "email": "reader@example.test",
            "body": "A reply.",
            "parent": digit,
        },
    )

    assert response.status_code == 400
    assert "Enter a whole number." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("digit", DIGITS)
def test_search_and_wordpress_ids_with_other_digits(client, site, digit):
    urls = [
        f"/search/?q=tag:{digit}",
        f"/search/?q={digit}",
        f"/?p={digit}",
        f"/?page_id={digit}",
    ]

    assert {url: served(client, url) for url in urls} == dict.fromkeys(urls, 200)
