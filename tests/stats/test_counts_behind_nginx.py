"""The figures match, exactly, the page views readers made (issue 12).

A reader's Chromium loads each of a few posts several times, and the home
page, with the page cache and nginx's page files on:

* through nginx running the server block of docs/deploy.md (as in
  tests/deploy): the first view of a page is rendered by the app, which
  writes the page file, and the next ones come from that file without the
  app seeing them; only the beacon reaches the app;
* straight to the app: the first view renders, the next ones come from the
  page cache.

Each view is waited for until its beacon has been answered (the live
server's threads share one SQLite connection, so requests go one at a
time), then the stored daily counts must equal the views made, post by
post, with the one view that came from another site counted under that
site's bare domain. Feed fetches through nginx are counted the same way.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from afterword.pagecache import state
from afterword.stats.models import DailyFeedFetches, DailyPageViews, DailyReferrer
from tests.conftest import CHROMIUM_ARGS, chromium_path
from tests.deploy import nginx
from tests.deploy.conftest import front  # noqa: F401 (nginx in front of the app)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSTS = 3
VIEWS_EACH = 4
HOME_VIEWS = 2
REFERRER = "https://news.example.org/threads/42?from=secret-list"


@pytest.fixture(scope="module")
def reader_browser(browser, front):  # noqa: F811
    """A Chromium that finds reviews.example.org on loopback, as DNS would,
    with the static files collected where the documented block serves them."""
    with override_settings(STATIC_ROOT=str(front["static"])):
        call_command("collectstatic", interactive=False, verbosity=0)
    own = browser.browser_type.launch(
        executable_path=chromium_path(),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            f"--host-resolver-rules=MAP {nginx.SERVER_NAME} 127.0.0.1",
        ],
    )
    yield own
    own.close()


@pytest.fixture
def posts(post_factory):
    return [
        post_factory(title=f"Counted Review {n}", slug=f"counted-{n}")
        for n in range(POSTS)
    ]


@pytest.fixture
def caches_on(settings):
    settings.AFTERWORD_PAGE_CACHE = True
    settings.AFTERWORD_FRAGMENT_CACHE = True
    state.new_version()


@pytest.fixture
def behind_nginx(front, settings, caches_on):  # noqa: F811
    """The documented environment file, behind the documented nginx."""
    settings.AFTERWORD_PAGE_CACHE_DIR = str(front["pages"])
    settings.AFTERWORD_TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SITE_URL = nginx.ORIGIN
    settings.ALLOWED_HOSTS = [nginx.SERVER_NAME]
    settings.CSRF_TRUSTED_ORIGINS = [nginx.ORIGIN, f"{nginx.ORIGIN}:{front['port']}"]
    return front


def view(tab, url: str, **goto) -> str:
    """Load ``url`` as a reader does; where the page came from, once its
    beacon has been answered."""
    with tab.expect_response(lambda r: r.url.endswith("/stats/hit")) as hit:
        response = tab.goto(url, **goto)
    assert response is not None and response.status in (200, 304), url
    assert hit.value.status == 204, f"the beacon of {url} got {hit.value.status}"
    assert hit.value.request.method == "POST"
    return response.headers.get("x-page-cache", "")


def read_everything(tab, origin: str, posts) -> list[str]:
    """Every post VIEWS_EACH times (the first coming from another site),
    then the home page; the source of each page as served."""
    sources = []
    for post in posts:
        url = origin + post.get_absolute_url()
        sources.append(view(tab, url, referer=REFERRER))
        sources += [view(tab, url) for _ in range(VIEWS_EACH - 1)]
    sources += [view(tab, origin + "/") for _ in range(HOME_VIEWS)]
    # A beacon answered is a beacon counted; wait a little for any stray one.
    tab.wait_for_timeout(300)
    return sources


def assert_counted_exactly(posts) -> None:
    today = timezone.localdate()
    counted = {
        (row.post_id, row.path): row.views
        for row in DailyPageViews.objects.filter(day=today)
    }
    expected = {(post.pk, ""): VIEWS_EACH for post in posts}
    expected[(None, "/")] = HOME_VIEWS
    assert counted == expected
    assert DailyPageViews.objects.exclude(day=today).count() == 0
    referrers = sorted(DailyReferrer.objects.values_list("post_id", "domain", "views"))
    assert referrers == [(post.pk, "news.example.org", 1) for post in posts]


def test_counts_through_nginx_page_files_match_the_views_made(
    reader_browser, behind_nginx, posts, record_property
):
    context = reader_browser.new_context(
        ignore_https_errors=True,  # our throw-away certificate
        base_url=f"{nginx.ORIGIN}:{behind_nginx['port']}",
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        sources = read_everything(tab, f"{nginx.ORIGIN}:{behind_nginx['port']}", posts)
    finally:
        context.close()
    # The first view of each page is the app's; the others are page files.
    assert sources.count("miss") == POSTS + 1
    assert sources.count("nginx") == POSTS * (VIEWS_EACH - 1) + HOME_VIEWS - 1
    assert_counted_exactly(posts)

    reader = nginx.Client(behind_nginx["port"], "127.0.0.3")
    for _ in range(3):
        status, headers, _body = reader.request("GET", "/feed/")
        assert status == 200 and headers.get("X-Page-Cache") in ("miss", "hit")
    assert dict(DailyFeedFetches.objects.values_list("feed", "fetches")) == {
        "feeds:rss": 3
    }
    record_property(
        "figure",
        f"stats behind nginx: {len(sources)} page views made "
        f"({sources.count('nginx')} from page files, {sources.count('miss')} "
        f"rendered by the app), {len(sources)} counted; 3 feed fetches, 3 counted",
    )


def test_counts_straight_from_the_app_match_the_views_made(
    live_server, browser, caches_on, posts, record_property
):
    context = browser.new_context()
    # Routing turns Chromium's own cache off: without it the browser asks
    # "changed since?" and shows the first answer's headers again on a 304,
    # hiding which views the page cache answered.
    context.route("**/*", lambda route: route.continue_())
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        sources = read_everything(tab, live_server.url, posts)
    finally:
        context.close()
    assert sources.count("miss") == POSTS + 1
    assert sources.count("hit") == POSTS * (VIEWS_EACH - 1) + HOME_VIEWS - 1
    assert_counted_exactly(posts)
    record_property(
        "figure",
        f"stats from the app: {len(sources)} page views made "
        f"({sources.count('hit')} from the page cache), {len(sources)} counted",
    )
