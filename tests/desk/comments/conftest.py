"""Fixtures for the comments screen: writers of each role, a post, comments."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from afterword.accounts.actions import SetRole
from afterword.discussion.actions import add_comment
from afterword.discussion.models import Comment
from tests import factories
from tests.discussion.conftest import guest_data

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Flood counters and the discussion settings live in the cache.
    cache.clear()
    yield
    cache.clear()


def person(username: str, role: str | None):
    account = factories.UserFactory(username=username)
    if role:
        SetRole(account, role).run()
    return account


@pytest.fixture
def editor(db):
    return person("edna", "editor")


@pytest.fixture
def author(db):
    return person("arthur", "author")


@pytest.fixture
def post(post_factory, editor):
    return post_factory(author=editor, title="Perfect Blue, revisited", slug="pb")


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reader(db):
    """A second browser, signed in as nobody: a reader posting a comment."""
    return Client()


def comment(post, status=Comment.Status.PENDING, **kwargs) -> Comment:
    """A comment stored as an importer stores it (``AddComment``)."""
    values = {"name": "Mima Fan", "email": "mima@example.test", "body": "Hello."}
    values.update(kwargs)
    return add_comment(post, status=status, **values)


def act(client, target: Comment, verb: str, *, fetch=True, tab="pending"):
    headers = {"HTTP_X_REQUESTED_WITH": "fetch"} if fetch else {}
    return client.post(
        reverse("desk:comment_act", args=[target.pk]),
        {"action": verb, "tab": tab, "next": reverse("desk:comments")},
        **headers,
    )


def post_publicly(client, post, *, ip="198.51.100.7", **overrides):
    """A reader's comment through the public form, as a browser sends it."""
    return client.post(
        reverse("discussion:post", args=[post.pk]),
        guest_data(post, **overrides),
        REMOTE_ADDR=ip,
    )
