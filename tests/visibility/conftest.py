"""Posts of each visibility, and writers of each role, for the visibility tests."""

from __future__ import annotations

import pytest

from afterword.accounts.actions import SetRole
from afterword.posts.models import Post
from tests import factories

SECRET = "Zanzibar lighthouse keeper"  # a phrase only the protected body holds
PASSWORD = "open sesame"


def with_role(username: str, role: str):
    user = factories.UserFactory(username=username)
    SetRole(user, role).run()
    return user


@pytest.fixture
def author(db):
    return with_role("penny", "author")


@pytest.fixture
def other_author(db):
    return with_role("oscar", "author")


@pytest.fixture
def editor(db):
    return with_role("edith", "editor")


@pytest.fixture
def tag(db):
    return factories.TagFactory(name="Harbours", slug="harbours")


@pytest.fixture
def make(post_factory, author, tag, django_capture_on_commit_callbacks):
    """A published post of ``visibility`` by ``author``, tagged "harbours"."""

    def make_post(visibility: str, slug: str | None = None, **kwargs) -> Post:
        fields = {
            "title": f"The {visibility} harbour",
            "slug": slug or f"{visibility}-harbour",
            "author": author,
            "body": f"The {visibility} text. {SECRET} was here.",
            "visibility": visibility,
        }
        if visibility == Post.Visibility.PASSWORD:
            fields["password"] = PASSWORD
        fields.update(kwargs)
        post = post_factory(**fields)
        with django_capture_on_commit_callbacks(execute=True):
            post.tags.add(tag)
        return post

    return make_post
