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


@pytest.fixture
def administrator(db):
    """A separate browser session holding the administrator role."""
    from django.test import Client

    from afterword.accounts.actions import SetRole

    user = factories.UserFactory(username="ada")
    SetRole(user, "administrator").run()
    session = Client()
    session.force_login(user)
    return session
