"""A three-part series: Part 1 published, Part 2 a draft, Part 3 planned."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from afterword.posts.models import Post
from afterword.series import actions
from afterword.series.models import Series, SeriesPart
from tests.support.smtp import smtp_server  # noqa: F401


@pytest.fixture
def make_series(db, django_capture_on_commit_callbacks):
    def make(title="Memories", slug="memories", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.save_series(Series(title=title, slug=slug, **kwargs))

    return make


@pytest.fixture
def add_part(db, django_capture_on_commit_callbacks):
    def add(series, position, post=None, planned_title="", expected_date=None):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.save_part(
                SeriesPart(
                    series=series,
                    position=position,
                    post=post,
                    planned_title=planned_title,
                    expected_date=expected_date,
                )
            )

    return add


@pytest.fixture
def memories(make_series, add_part, post_factory, writer):
    """Part 1 published, Part 2 a draft, Part 3 planned for June 2027."""
    series = make_series(description="Three short films, *three* reviews.")
    # Whole seconds: the theme prints the time in a datetime attribute.
    an_hour_ago = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    one = post_factory(
        author=writer,
        title="Magnetic Rose",
        slug="magnetic-rose",
        published_at=an_hour_ago,
    )
    two = post_factory(
        author=writer,
        title="Stink Bomb",
        slug="stink-bomb",
        status=Post.Status.DRAFT,
        published_at=None,
    )
    add_part(series, 1, post=one)
    add_part(series, 2, post=two, planned_title="Stink Bomb")
    add_part(
        series,
        3,
        planned_title="Cannon Fodder",
        expected_date=datetime.date(2027, 6, 1),
    )
    return series, one, two
