"""Broad queries list their newest matches from the index's own order.

Each search document carries its recency (``search.models.recency_of``),
which keys SQLite's full-text table: these tests hold the order to the
posts' dates whatever order they were indexed in, follow a date changed in
the admin, and upgrade a site indexed before the key existed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from afterword.search.models import SearchDocument, recency_of
from afterword.search.services import SearchResults
from tests.support.adminforms import change

pytestmark = pytest.mark.django_db


def newest_titles(text: str) -> list[str]:
    results = SearchResults(text)
    assert results.newest_first
    return [result.title for result in results[0 : results.count()]]


def test_recency_sorts_as_the_date_then_the_post_does():
    noon = datetime(2024, 5, 3, 12, tzinfo=UTC)
    keys = [
        recency_of(noon - timedelta(days=30000), 7),
        recency_of(noon, 2),
        recency_of(noon, 3),
        recency_of(noon + timedelta(seconds=1), 1),
        recency_of(datetime(3000, 1, 1, tzinfo=UTC), 2**28 - 1),
        recency_of(datetime(9999, 12, 31, tzinfo=UTC), 2**28 - 2),
    ]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert min(keys) >= -(2**63) and max(keys) < 2**63
    assert recency_of(datetime(1, 1, 1, tzinfo=UTC), 1) >= -(2**63)


def test_a_broad_query_follows_the_dates_not_the_order_of_indexing(
    post_factory, settings
):
    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 2
    now = timezone.now()
    # Written newest first, as an import of an old blog may make them.
    for days, title in [(1, "Tuesday"), (30, "Last month"), (3, "Saturday")]:
        post_factory(
            title=title,
            body="The lighthouse again.",
            published_at=now - timedelta(days=days),
        )
    assert newest_titles("lighthouse") == ["Tuesday", "Saturday"]


def test_a_date_changed_in_the_admin_moves_the_post_in_broad_results(
    client, writer, post_factory, settings, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 1
    now = timezone.now()
    older = post_factory(
        title="Older", body="Fog horn.", published_at=now - timedelta(days=9)
    )
    post_factory(title="Newer", body="Fog horn.", published_at=now - timedelta(days=2))
    assert newest_titles("fog") == ["Newer"]

    client.force_login(writer)
    address = reverse("admin:posts_post_change", args=[older.pk])
    moved = timezone.localtime(now - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        change(client, address, published_at=moved.strftime("%Y-%m-%dT%H:%M:%S"))

    assert newest_titles("fog") == ["Older"]
    document = SearchDocument.objects.get(post=older)
    assert document.recency == recency_of(document.published_at, older.pk)


@pytest.mark.django_db(transaction=True)
def test_upgrading_keys_every_document_by_its_recency(post_factory, settings):
    now = timezone.now()
    for days, title in [(4, "First"), (2, "Second"), (6, "Oldest")]:
        post_factory(
            title=title, body="Tide tables.", published_at=now - timedelta(days=days)
        )
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("search", "0002_full_text")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 2
    assert newest_titles("tide") == ["Second", "First"]
    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 10
    assert sorted(r.title for r in SearchResults("tide")[0:10]) == [
        "First",
        "Oldest",
        "Second",
    ]
