"""Catalog fixtures: the demo catalog (Memories and friends) and small builders."""

from __future__ import annotations

import pytest
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection

from afterword.catalog import actions
from afterword.catalog.demo import CATALOG_FILE
from afterword.catalog.importing import import_file
from afterword.catalog.models import (
    Credit,
    Organisation,
    Person,
    Release,
    Role,
    Work,
    WorkRelation,
)
from afterword.catalog.roles import seed_roles

_CACHE: dict[str, str] = {}
_MODELS = [Organisation, Person, Work, Credit, Release, WorkRelation]


@pytest.fixture
def catalog(db):
    """The demo catalog, imported through the real importer; works by slug.

    The first test imports the file; later ones restore a serialised copy of
    the result, which is many times faster. Roles are re-seeded first: a
    transactional test elsewhere may have flushed the migration's rows.
    """
    seed_roles(Role)
    roles = dict(Role.objects.values_list("slug", "pk"))
    if _CACHE.get("roles") == repr(sorted(roles.items())):
        for obj in serializers.deserialize("json", _CACHE["data"]):
            obj.save()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), _MODELS):
                cursor.execute(sql)
    else:
        report = import_file(CATALOG_FILE)
        assert not report.rejected, report.lines()
        _CACHE["roles"] = repr(sorted(roles.items()))
        _CACHE["data"] = serializers.serialize(
            "json", [obj for model in _MODELS for obj in model.objects.order_by("pk")]
        )
    return {w.slug: w for w in Work.objects.all()}


@pytest.fixture
def no_page_cache(settings):
    """Serve every request from the view, to count its queries."""
    settings.AFTERWORD_PAGE_CACHE = False


@pytest.fixture
def person(db):
    return Person.objects.create(name="Test Director", slug="test-director")


@pytest.fixture
def make_work(db):
    counter = {"n": 0}

    def make(**kwargs):
        counter["n"] += 1
        kwargs.setdefault("title", f"Work {counter['n']}")
        kwargs.setdefault("slug", f"work-{counter['n']}")
        kwargs.setdefault("year", 2000)
        return actions.save_catalog_object(Work(**kwargs))

    return make


@pytest.fixture
def review(post_factory, writer):
    """Publish a post about a work, with a rating, through the real services."""

    def make(work, rating=None, spoilers=False, **kwargs):
        kwargs.setdefault("author", writer)
        post = post_factory(**kwargs)
        actions.link_post_to_work(
            post, work, primary=True, rating=rating, contains_spoilers=spoilers
        )
        return post

    return make


def credit(work, person, role_slug="director", **kwargs) -> Credit:
    return Credit.objects.create(
        work=work, person=person, role=Role.objects.get(slug=role_slug), **kwargs
    )
