"""Fixtures for the desk's home: writers in each role and content to show."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.text import slugify

from afterword.accounts.actions import SetRole
from afterword.discussion.actions import AddComment
from afterword.discussion.models import Comment
from afterword.posts.models import Post
from afterword.series.actions import SaveSeries, SaveSeriesParts
from afterword.series.models import Series, SeriesPart
from tests import factories

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def person(username: str, role: str):
    account = factories.UserFactory(username=username)
    SetRole(account, role).run()
    return account


@pytest.fixture
def editor(db):
    return person("edna", "editor")


@pytest.fixture
def author(db):
    return person("arthur", "author")


@pytest.fixture
def contributor(db):
    return person("connie", "contributor")


@pytest.fixture
def make_post(post_factory):
    """A post through the real save action; ``age`` backdates its last edit."""

    def make(author, *, age: timedelta | None = None, **kwargs):
        post = post_factory(author=author, **kwargs)
        if age is not None:
            # The last edit time is set by the database on every save; a
            # fixture three weeks old can only be made by writing it.
            Post.objects.filter(pk=post.pk).update(updated_at=timezone.now() - age)
            post.refresh_from_db()
        return post

    return make


def draft(make_post, author, title, **kwargs):
    return make_post(
        author, title=title, status=Post.Status.DRAFT, published_at=None, **kwargs
    )


def held(post, body="Is the sequel any good?", name="Mima Fan", **kwargs) -> Comment:
    return AddComment(
        post,
        name=name,
        body=body,
        email="mima@example.test",
        status=Comment.Status.PENDING,
        **kwargs,
    ).run()


def approved(post, body="Lovely write-up.", name="Rei", **kwargs) -> Comment:
    return AddComment(
        post, name=name, body=body, email="rei@example.test", **kwargs
    ).run()


def series_with_plan(title="Ghibli, film by film", parts=()) -> Series:
    """A series whose parts are (planned title or post, expected date) pairs."""
    series = SaveSeries(Series(title=title, slug=slugify(title))).run()
    rows = []
    for position, (what, expected) in enumerate(parts, start=1):
        if isinstance(what, Post):
            rows.append(
                SeriesPart(position=position, post=what, expected_date=expected)
            )
        else:
            rows.append(
                SeriesPart(
                    position=position, planned_title=what, expected_date=expected
                )
            )
    SaveSeriesParts(series, rows).run()
    return series


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
