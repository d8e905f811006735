"""Where reads go when a read replica is configured (config/dbrouting.py).

These tests ask the router, through the middleware every request passes,
which database a read would use, and tell it of writes as Django's ORM does
(``db_for_write`` before every save, update and delete). tests/multinode
shows the same decisions against a real PostgreSQL standby whose replay is
paused.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from afterword.config import dbrouting
from afterword.config.dbrouting import PRIMARY, REPLICA, ReplicaMiddleware
from afterword.pagecache.version import STATE_KEY
from afterword.posts.models import Post, Tag
from afterword.stats.models import DailyPageViews

router = dbrouting.ReplicaRouter()


@pytest.fixture(autouse=True)
def window(settings):
    settings.AFTERWORD_REPLICA_WINDOW = 2
    return 2


def content_changed(seconds_ago: float) -> None:
    caches["default"].set(STATE_KEY, ("v1", time.time() - seconds_ago, None), None)


def answer(request, during=None):
    """Run ``request`` through the middleware; where reads went, and the response."""
    seen = {}

    def view(request):
        seen["before"] = router.db_for_read(Post)
        if during:
            during()
        seen["after"] = router.db_for_read(Post)
        return HttpResponse("ok")

    response = ReplicaMiddleware(view)(request)
    return seen, response


def test_an_anonymous_read_of_settled_content_goes_to_the_replica():
    content_changed(60)
    seen, response = answer(RequestFactory().get("/"))
    assert seen == {"before": REPLICA, "after": REPLICA}
    assert dbrouting.COOKIE not in response.cookies


def test_reads_go_to_the_primary_while_a_change_may_not_have_replicated():
    """A page cached just after a change must be rendered from the change."""
    content_changed(0.5)
    seen, _ = answer(RequestFactory().get("/"))
    assert seen["before"] == PRIMARY


def test_without_a_content_version_the_primary_answers():
    caches["default"].delete(STATE_KEY)
    seen, _ = answer(RequestFactory().get("/"))
    assert seen["before"] == PRIMARY


def test_a_write_sends_the_rest_of_the_request_and_the_writer_to_the_primary(window):
    content_changed(60)
    seen, response = answer(
        RequestFactory().get("/"), during=lambda: router.db_for_write(Tag)
    )
    assert seen == {"before": REPLICA, "after": PRIMARY}
    cookie = response.cookies[dbrouting.COOKIE]
    assert cookie["max-age"] == window
    assert cookie["httponly"]

    follow = RequestFactory().get("/")
    follow.COOKIES[dbrouting.COOKIE] = cookie.value
    seen, _ = answer(follow)
    assert seen["before"] == PRIMARY, "read-your-writes: the writer reads the primary"

    time.sleep(window + 1.1)
    content_changed(60)
    seen, _ = answer(follow)
    assert seen["before"] == REPLICA, "once the window has passed, the replica"


def test_a_forged_marker_does_not_count():
    content_changed(60)
    request = RequestFactory().get("/")
    request.COOKIES[dbrouting.COOKIE] = "1"
    seen, _ = answer(request)
    assert seen["before"] == REPLICA


def test_a_post_reads_the_primary():
    content_changed(60)
    seen, response = answer(RequestFactory().post("/comment/"))
    assert seen["before"] == PRIMARY
    assert dbrouting.COOKIE not in response.cookies, "it wrote nothing"


def test_bookkeeping_writes_leave_readers_on_the_page_files():
    """The stats beacon writes on every page view: no cookie for that, or
    every reader would skip nginx's page files after their first page."""
    content_changed(60)
    _, response = answer(
        RequestFactory().post("/stats/hit"),
        during=lambda: router.db_for_write(DailyPageViews),
    )
    assert dbrouting.COOKIE not in response.cookies


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_goes_to_the_primary():
    content_changed(60)

    def in_atomic():
        with transaction.atomic():
            assert router.db_for_read(Post) == PRIMARY

    seen, _ = answer(RequestFactory().get("/"), during=in_atomic)
    assert seen["after"] == REPLICA


def test_sessions_and_the_task_queue_are_read_from_the_primary():
    from django_tasks_db.models import DBTaskResult

    content_changed(60)
    found = {}

    def look():
        found["session"] = router.db_for_read(Session)
        found["task"] = router.db_for_read(DBTaskResult)

    answer(RequestFactory().get("/"), during=look)
    assert found == {"session": PRIMARY, "task": PRIMARY}


def test_outside_a_request_everything_reads_the_primary():
    """Tasks run right after the write that queued them."""
    content_changed(60)
    assert router.db_for_read(Post) == PRIMARY

    def inner():
        with dbrouting.primary():
            assert router.db_for_read(Post) == PRIMARY

    seen, _ = answer(RequestFactory().get("/"), during=inner)
    assert seen == {"before": REPLICA, "after": REPLICA}


def test_writes_and_migrations_only_on_the_primary():
    assert router.db_for_write(Post) == PRIMARY
    assert router.allow_migrate(PRIMARY, "posts") is True
    assert router.allow_migrate(REPLICA, "posts") is False
