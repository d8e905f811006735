"""The desk's and the admin's lists never count a whole table (issue 15).

Every ``COUNT(*)`` they run reads at most ``counting.CAP`` + 1 rows (a
``LIMIT`` inside it), so a list of a million comments loads as fast as one of
ten thousand; past the cap the figure says "10,000+".
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from afterword.core.counting import CappedPaginator
from afterword.discussion.models import Comment
from afterword.posts.models import Post
from afterword.subscriptions.models import Subscriber

pytestmark = pytest.mark.django_db


def uncapped_counts(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [
        q["sql"]
        for q in captured
        if "COUNT(*)" in q["sql"].upper() and " LIMIT " not in q["sql"].upper()
    ]


@pytest.fixture
def busy_site(writer):
    post = Post.objects.create(
        title="Busy", slug="busy", author=writer, status=Post.Status.PUBLISHED
    )
    Comment.objects.bulk_create(
        Comment(post=post, author_name=f"R{i}", body="Hi", status=status)
        for i, status in enumerate(
            [Comment.Status.APPROVED] * 5 + [Comment.Status.PENDING] * 2
        )
    )
    Subscriber.objects.bulk_create(
        Subscriber(email=f"f{i}@example.test") for i in range(3)
    )
    return post


def test_every_admin_change_list_counts_at_most_the_cap():
    for model_admin in admin.site._registry.values():
        assert model_admin.show_full_result_count is False, model_admin
        assert model_admin.paginator is CappedPaginator, model_admin


@pytest.mark.parametrize(
    "url",
    [
        "admin:posts_post_changelist",
        "admin:discussion_comment_changelist",
        "admin:subscriptions_subscriber_changelist",
        "admin:catalog_work_changelist",
        "admin:accounts_user_changelist",
    ],
)
def test_admin_lists_run_no_uncapped_count(client, writer, busy_site, url):
    client.force_login(writer)
    assert uncapped_counts(client, reverse(url)) == []
    assert uncapped_counts(client, reverse(url) + "?q=busy") == []


@pytest.mark.parametrize(
    "url",
    [
        "/desk/comments/",
        "/desk/comments/?status=approved&q=R",
        "/desk/followers/",
        "/desk/catalog/",
        "/desk/series/",
        "/desk/settings/redirects/",
    ],
)
def test_desk_lists_run_no_uncapped_count(client, writer, busy_site, url):
    client.force_login(writer)
    assert uncapped_counts(client, url) == []
