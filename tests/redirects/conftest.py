"""Fixtures for redirects: a writer's admin session and posts saved for real."""

from __future__ import annotations

import pytest

from afterword.posts.actions import save_post
from tests import factories


@pytest.fixture
def publish(db, admin_user, django_capture_on_commit_callbacks):
    """Save a post (published an hour ago unless told) through the action."""

    def make(**kwargs):
        kwargs.setdefault("author", admin_user)
        with django_capture_on_commit_callbacks(execute=True):
            return save_post(factories.PostFactory.build(**kwargs))

    return make
