"""Shared fixtures: users, posts, the task worker, and a real Chromium."""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.management import call_command

from tests import factories

# Playwright's sync API keeps an asyncio loop running in the test thread, which
# Django's async-safety check mistakes for async code; the ORM calls the tests
# make around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = [
    os.environ.get("AFTERWORD_CHROMIUM", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _page_cache_off_and_cache_empty(settings):
    """Pages and {% fragment %} regions render on every request unless a test
    turns the caches on (tests/pagecache does), so query counts measure views,
    not the cache. The shared cache starts empty: the database is rolled back
    between tests.
    """
    from django.core.cache import caches

    settings.AFTERWORD_PAGE_CACHE = False
    settings.AFTERWORD_FRAGMENT_CACHE = False
    caches["default"].clear()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads land in the test's own folder, never in the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def writer(db):
    return factories.UserFactory(username="writer", is_staff=True, is_superuser=True)


@pytest.fixture
def post_factory(db, django_capture_on_commit_callbacks):
    """Make posts through the real save service, running its on-commit hooks."""

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return factories.save(factories.PostFactory.build(**kwargs))

    return make


@pytest.fixture
def run_tasks(db):
    """Run every queued background task now, through the real worker."""

    def run():
        call_command(
            "db_worker",
            "--batch",
            "--queue-name",
            "*",
            "--no-startup-delay",
            verbosity=0,
        )

    return run


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and shutil.which(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("Chromium is not installed (install Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# Folders whose tests measure time against a real server: they run alone,
# after the parallel part of `make test` (see the Makefile).
SERIAL_FOLDERS = ("tests/deploy/",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(SERIAL_FOLDERS):
            item.add_marker(pytest.mark.serial)


def pytest_terminal_summary(terminalreporter):
    """Print, after every run (with ``-n`` too), the external corpora's counts
    (tests/corpora/report.py) and the figures tests measured: a test records
    one with ``record_property("figure", "what: value")``, and the closing
    notes quote them from ``make test``'s output."""
    from tests.corpora.report import summarise

    reports = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
    ]
    line = summarise(reports)
    if line:
        terminalreporter.write_sep("-", "external corpora")
        terminalreporter.write_line(line)
    figures = [
        f"{report.nodeid}: {value}"
        for report in terminalreporter.stats.get("passed", [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == "figure"
    ]
    if figures:
        terminalreporter.section("figures measured by the tests")
        for figure in figures:
            terminalreporter.write_line(figure)
