"""Migration redirects 0002: a site imported before redirects existed keeps
its old WordPress permalinks working, now as redirects."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from afterword.redirects.models import Redirect

# The posts table as redirects 0002 found it, so rows made with the
# historical model match the columns (later posts migrations add some).
BEFORE = [
    ("redirects", "0001_initial"),
    ("posts", "0004_visibility_roles_unicode_slugs"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_upgrading_turns_legacy_urls_into_redirects(client):
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    author = old_apps.get_model("accounts", "User").objects.create(
        username="critic", email="critic@example.test", password="!"
    )
    Post = old_apps.get_model("posts", "Post")
    common = {"author_id": author.pk, "status": "published", "body": "Text."}
    imported = Post.objects.create(
        title="Ōkami",
        slug="ōkami",
        legacy_url="/2019/04/02/%c5%8dkami",
        published_at="2024-05-03T10:00:00Z",
        **common,
    )
    Post.objects.create(
        title="Plain link",
        slug="plain",
        legacy_url="/?p=12",
        published_at="2024-05-03T10:00:00Z",
        **common,
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    [redirect] = Redirect.objects.all()
    assert redirect.old_path == "/2019/04/02/ōkami/"
    assert redirect.target_post_id == imported.pk
    assert redirect.source == Redirect.Source.IMPORTED
    response = client.get("/2019/04/02/%C5%8Dkami/")
    assert (response.status_code, response["Location"]) == (301, "/2024/05/%C5%8Dkami/")
