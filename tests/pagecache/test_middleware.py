"""The page cache serves anonymous readers and stays current."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django.utils.http import http_date

from afterword.posts import actions
from afterword.posts.models import Post
from tests import factories

CSP_NONCE = re.compile(r"'nonce-([^']+)'")
BODY_NONCE = re.compile(r'nonce="([^"]+)"')


def test_second_anonymous_request_is_served_from_cache_without_running_the_view(
    client, post_factory, django_assert_num_queries
):
    post = post_factory(title="Perfect Blue, revisited")
    first = client.get(post.get_absolute_url())
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get(post.get_absolute_url())

    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Perfect Blue, revisited" in second.content.decode()


def test_cached_page_carries_validators_and_asks_browsers_to_revalidate(
    client, post_factory
):
    post_factory()
    first = client.get("/")
    second = client.get("/")
    assert first["ETag"] == second["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])
    assert first["Last-Modified"] == second["Last-Modified"]
    assert second["Cache-Control"] == "no-cache"


def test_matching_etag_answers_304_from_the_cache(
    client, post_factory, django_assert_num_queries
):
    post_factory()
    etag = client.get("/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_answers_304_and_an_older_date_gets_the_page(
    client, post_factory
):
    post_factory()
    last_modified = client.get("/")["Last-Modified"]
    not_modified = client.get("/", headers={"if-modified-since": last_modified})
    assert not_modified.status_code == 304

    older = http_date(time.time() - 3600 * 24 * 365)
    modified = client.get("/", headers={"if-modified-since": older})
    assert modified.status_code == 200
    assert modified["X-Page-Cache"] == "hit"


def test_stale_etag_gets_the_full_page(client, post_factory):
    post_factory()
    client.get("/")
    response = client.get("/", headers={"if-none-match": '"not-this-one"'})
    assert response.status_code == 200
    assert response.content


def test_head_request_is_answered_from_the_cache_without_a_body(client, post_factory):
    post_factory()
    full = client.get("/")
    head = client.head("/")
    assert head.status_code == 200
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""
    assert head["ETag"] == full["ETag"]


def test_logged_in_reader_bypasses_the_cache_and_is_not_stored(
    client, writer, post_factory
):
    post_factory(title="Tokyo Godfathers")
    client.force_login(writer)
    logged_in = client.get("/")
    assert logged_in.status_code == 200
    assert "X-Page-Cache" not in logged_in

    client.logout()
    client.cookies.clear()
    anonymous = client.get("/")
    assert anonymous["X-Page-Cache"] == "miss"


def test_bypass_cookie_skips_the_cache(client, post_factory, settings):
    settings.AFTERWORD_PAGE_CACHE_BYPASS_COOKIES = ["afterword_commenter"]
    post_factory()
    client.get("/")
    client.cookies["afterword_commenter"] = "1"
    response = client.get("/")
    assert "X-Page-Cache" not in response


def test_guest_commenter_cookie_skips_the_cache_by_default(client, post_factory):
    post_factory()
    client.get("/")
    client.cookies["afterword_commenter"] = "signed-ids"
    assert "X-Page-Cache" not in client.get("/")


def test_unrelated_cookie_still_gets_the_cached_page(client, post_factory):
    post_factory()
    client.get("/")
    client.cookies["csrftoken"] = "x" * 32
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_allowed_query_parameter_is_cached_per_value_and_others_are_not(
    client, post_factory, settings
):
    settings.AFTERWORD_PAGE_SIZE = 1
    older = post_factory(
        title="The older review", published_at=timezone.now() - timedelta(days=2)
    )
    newer = post_factory(title="The newer review")
    assert client.get("/?page=2")["X-Page-Cache"] == "miss"
    second_page = client.get("/?page=2")
    assert second_page["X-Page-Cache"] == "hit"
    assert older.title in second_page.content.decode()
    first_page = client.get("/")
    assert first_page["X-Page-Cache"] == "miss"
    assert newer.title in first_page.content.decode()

    tracked = client.get("/?utm_source=feed")
    assert "X-Page-Cache" not in tracked
    assert "X-Page-Cache" not in client.get("/?utm_source=feed")


def test_post_requests_admin_and_missing_pages_are_not_cached(client, post_factory):
    post_factory()
    assert "X-Page-Cache" not in client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")
    assert client.get("/no-such-page/").status_code == 404
    assert "X-Page-Cache" not in client.get("/no-such-page/")
    assert "X-Page-Cache" not in client.post("/")


@override_settings(ROOT_URLCONF="tests.pagecache.urls")
def test_responses_setting_cookies_or_private_are_not_cached(client, db):
    for url in ("/cookie/", "/private/"):
        client.cookies.clear()
        first = client.get(url)
        assert first.status_code == 200
        client.cookies.clear()
        assert "X-Page-Cache" not in client.get(url)


def test_switched_off_the_cache_never_answers(client, post_factory, settings):
    settings.AFTERWORD_PAGE_CACHE = False
    post_factory()
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


@override_settings(ROOT_URLCONF="tests.pagecache.urls")
def test_cached_page_replays_the_csp_header_whose_nonce_is_in_its_body(client, db):
    first = client.get("/nonce/")
    second = client.get("/nonce/")
    assert second["X-Page-Cache"] == "hit"
    header_nonce = CSP_NONCE.search(second["Content-Security-Policy"]).group(1)
    body_nonce = BODY_NONCE.search(second.content.decode()).group(1)
    assert header_nonce == body_nonce
    assert header_nonce == CSP_NONCE.search(first["Content-Security-Policy"]).group(1)


def test_publishing_a_post_shows_it_on_the_cached_home_page(client, post_factory):
    post_factory(title="Millennium Actress")
    assert "Millennium Actress" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"

    post_factory(title="Paprika")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Paprika" in response.content.decode()


def test_editing_a_post_updates_its_cached_page(client, post_factory, publish):
    post = post_factory(title="Paranoia Agent")
    url = post.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    post.title = "Paranoia Agent, episode by episode"
    publish(post)
    assert "episode by episode" in client.get(url).content.decode()


def test_deleting_a_post_removes_it_from_cached_pages(
    client, post_factory, django_capture_on_commit_callbacks
):
    post = post_factory(title="Ghost in the Shell")
    url = post.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "Ghost in the Shell" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_post(post)
    assert client.get(url).status_code == 404
    assert "Ghost in the Shell" not in client.get("/").content.decode()


def test_scheduled_post_appears_at_its_time_without_the_worker(client, post_factory):
    post_factory(title="Already out")
    due = timezone.now() + timedelta(seconds=1.5)
    post_factory(
        title="Arrives on time", status=Post.Status.SCHEDULED, published_at=due
    )
    assert "Arrives on time" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"

    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.1)
    response = client.get("/")
    assert "Arrives on time" in response.content.decode()
    # The worker never ran: the post is still marked scheduled.
    assert Post.objects.get(title="Arrives on time").status == Post.Status.SCHEDULED


def test_worker_publishing_a_due_post_starts_a_new_version(
    transactional_db, client, post_factory, run_tasks
):
    """The task that flips a due post to published announces it once more.

    Transactional: the worker closes its database connection when done,
    which a test wrapped in one transaction would not survive on PostgreSQL.
    """
    due = timezone.now() + timedelta(seconds=1)
    post = post_factory(
        title="Flipped by the worker", status=Post.Status.SCHEDULED, published_at=due
    )
    time.sleep(1.1)
    assert "Flipped by the worker" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    run_tasks()
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_pages_are_cached_and_invalidated_too(client, post_factory, publish):
    page = post_factory(title="About this blog", slug="about", kind=Post.Kind.PAGE)
    client.get("/about/")
    assert client.get("/about/")["X-Page-Cache"] == "hit"
    page.body = "Written by one critic, mostly about animation."
    publish(page)
    assert "mostly about animation" in client.get("/about/").content.decode()


def test_an_unrelated_users_change_through_the_factory_keeps_pages_cached(
    client, post_factory
):
    post_factory()
    client.get("/")
    factories.UserFactory(username="someone-else")
    assert client.get("/")["X-Page-Cache"] == "hit"
