"""Nothing about a reader is stored, and no cookie is set for counting."""

from __future__ import annotations

import ipaddress

import pytest
from django.apps import apps
from django.db import connection

from afterword.stats.models import DailyFeedFetches, DailyPageViews, DailyReferrer

from .conftest import beacon, page_token

pytestmark = pytest.mark.django_db

READER_ADDRESS = "198.51.100.23"
READER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0"
# Every column any stats table may have; a new column must be added here,
# after checking it holds nothing about a reader.
EXPECTED_COLUMNS = {
    "stats_dailypageviews": {"id", "day", "post_id", "path", "views"},
    "stats_dailyreferrer": {"id", "day", "post_id", "domain", "views"},
    "stats_dailyfeedfetches": {"id", "day", "feed", "fetches"},
}
PERSONAL_WORDS = ("ip", "addr", "agent", "ua", "cookie", "session", "user", "email")


def stats_tables() -> list[str]:
    return [model._meta.db_table for model in apps.get_app_config("stats").get_models()]


def columns(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, table)
    return {column.name: column.type_code for column in described}


def test_every_stats_table_has_only_counting_columns():
    assert sorted(stats_tables()) == sorted(EXPECTED_COLUMNS)
    for table in stats_tables():
        found = columns(table)
        assert set(found) == EXPECTED_COLUMNS[table], table
        for name in found:
            parts = name.lower().split("_")
            assert not any(word in parts for word in PERSONAL_WORDS), (table, name)


def test_no_stored_value_is_the_readers_address_or_browser(client, post_factory):
    """A reader with a known address and browser views a post and a listing,
    coming from another site, and fetches the feed: no value in any stats
    table holds either (nor any IP address at all)."""
    post = post_factory(title="Harbour", slug="harbour")
    headers = {"REMOTE_ADDR": READER_ADDRESS, "HTTP_USER_AGENT": READER_AGENT}
    for path in (post.get_absolute_url(), "/"):
        token = page_token(client, path)
        response = beacon(client, {"page": token, "ref": "news.example.org"}, **headers)
        assert response.status_code == 204
    assert client.get("/feed/", **headers).status_code == 200
    assert DailyPageViews.objects.count() == 2
    assert DailyReferrer.objects.count() == 2
    assert DailyFeedFetches.objects.count() == 1
    for table in stats_tables():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values = [str(value) for row in cursor.fetchall() for value in row]
        for value in values:
            assert READER_ADDRESS not in value and "Firefox" not in value, table
            try:
                ipaddress.ip_address(value)
            except ValueError:
                continue
            pytest.fail(f"{table} holds an address: {value}")


def test_the_beacon_and_the_pages_set_no_cookie(client, post_factory):
    post = post_factory(title="Harbour", slug="harbour")
    for path in (post.get_absolute_url(), "/"):
        page = client.get(path)
        assert page.status_code == 200
        assert not page.cookies, path
        assert "Set-Cookie" not in page.headers
        counted = beacon(client, {"page": page_token(client, path)})
        assert counted.status_code == 204
        assert not counted.cookies
        assert "Set-Cookie" not in counted.headers
    refused = beacon(client, {"page": "junk"})
    assert refused.status_code == 400 and not refused.cookies
    assert not client.cookies
