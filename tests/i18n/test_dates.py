"""Dates and numbers follow the site's language; machine dates never do."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from afterword.discussion import defences
from tests.support.sitemaps import sitemap_text


def test_a_french_post_page_writes_its_date_in_french(
    client, site_in_french, french_site
):
    html = client.get(french_site.post.get_absolute_url()).content.decode()
    assert "14 mars 2025" in html
    assert "March" not in html
    # The machine-readable time is the same ISO 8601 text as in English.
    assert 'datetime="2025-03-14T18:30:00+00:00"' in html
    assert '"datePublished": "2025-03-14T18:30:00+00:00"' in html or (
        '"datePublished":"2025-03-14T18:30:00+00:00"' in html
    )
    assert 'content="2025-03-14T18:30:00+00:00"' in html  # article:published_time


def test_comment_times_and_month_archives_are_french(
    client, site_in_french, french_site
):
    html = client.get(french_site.post.get_absolute_url()).content.decode()
    with translation.override("fr"):
        expected = date_format(
            timezone.localtime(french_site.comment.created_at), "DATETIME_FORMAT"
        )
    assert " à " in expected
    assert expected in html
    month = client.get(reverse("posts:month", args=[2025, "03"])).content.decode()
    assert "mars 2025" in month


def test_feeds_and_sitemap_keep_english_machine_dates(
    client, site_in_french, french_site
):
    rss = client.get(reverse("feeds:rss")).content.decode()
    assert "<pubDate>Fri, 14 Mar 2025 18:30:00 +0000</pubDate>" in rss
    assert "<language>fr</language>" in rss
    atom = client.get(reverse("feeds:atom")).content.decode()
    assert "2025-03-14T18:30:00+00:00" in atom
    sitemap = sitemap_text(client)
    assert "mars" not in sitemap
    assert "<lastmod>" in sitemap


def test_machine_time_ignores_the_active_language():
    when = datetime(2025, 3, 14, 18, 30, 5, 123456, tzinfo=UTC)
    template = Template("{{ when|machine_time }}|{{ when|date:'DATE_FORMAT' }}")
    with translation.override("fr"):
        french = template.render(Context({"when": when}))
    with translation.override("en"):
        english = template.render(Context({"when": when}))
    assert french == "2025-03-14T18:30:05+00:00|14 mars 2025"
    assert english == "2025-03-14T18:30:05+00:00|14 March 2025"


def test_numbers_are_written_the_french_way(client, site_in_french, french_site):
    html = client.get(french_site.work.get_absolute_url()).content.decode()
    assert "3,5 sur 5" in html
    assert "90 minutes" in html


def test_a_long_comment_is_refused_with_french_numbers(
    client, site_in_french, french_site
):
    response = client.post(
        reverse("discussion:post", args=[french_site.post.pk]),
        {
            "token": defences.make_token(
                f"post:{french_site.post.pk}", now=time.time() - 30
            ),
            "name": "Lucie",
            "email": "lucie@example.test",
            "body": "a" * 5001,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Votre commentaire n’a pas pu être publié" in html
    # French groups thousands with a no-break space: 5 000, not 5,000.
    with translation.override("fr"):
        limit = number_format(5000, force_grouping=True)
    assert limit in ("5\u00a0000", "5\u202f000")
    assert f"moins de {limit} caractères (il en fait {limit[:-1]}1)" in html


def test_a_reader_date_follows_a_change_of_language(client, french_site, settings):
    # reader_date remembers each day's text: per language, so the same day
    # on the same results page is written anew when the site's language
    # changes.
    search = reverse("search:results") + "?q=vertigineux"
    settings.LANGUAGE_CODE = "en"
    assert ">14 March 2025</time>" in client.get(search).content.decode()
    settings.LANGUAGE_CODE = "fr"
    french = client.get(search).content.decode()
    assert ">14 mars 2025</time>" in french
    assert "March" not in french
