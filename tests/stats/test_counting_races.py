"""Two requests counting the same page at once lose no view.

Run on PostgreSQL (the CI's second suite, ``DATABASE_URL``). The SQLite test
database is a shared in-memory one, whose second connection fails at once
("database table is locked") where a site's file database waits its turn
(``busy_timeout``, ``config/environment.py``), so there the race cannot be
staged with threads.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from afterword.stats.actions import CountPageView
from afterword.stats.models import DailyPageViews, DailyReferrer
from afterword.stats.pages import Page

pytestmark = pytest.mark.django_db(transaction=True)

EACH = 40


def test_two_threads_counting_the_first_views_of_a_day_lose_none(post_factory):
    """Both threads start on a day with no row yet, so both race to create it."""
    if connection.vendor != "postgresql":
        pytest.skip("threads cannot share SQLite's in-memory test database")
    post = post_factory(title="Harbour", slug="harbour")
    start = threading.Barrier(2)
    errors = []

    def count(page: Page) -> None:
        try:
            start.wait()
            for _ in range(EACH):
                CountPageView(page, "news.example.org").run()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    for page in (Page(post_id=post.pk), Page(path="/")):
        threads = [threading.Thread(target=count, args=(page,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    counted = DailyPageViews.objects.values_list("post_id", "path", "views")
    assert sorted(counted, key=lambda row: row[0] or 0) == [
        (None, "/", 2 * EACH),
        (post.pk, "", 2 * EACH),
    ]
    assert DailyReferrer.objects.count() == 2
    assert {row.views for row in DailyReferrer.objects.all()} == {2 * EACH}
