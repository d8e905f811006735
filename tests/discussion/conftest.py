"""Fixtures for discussion tests: a live post and a helper that posts comments."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from afterword.discussion import defences
from afterword.discussion.models import Comment, DiscussionSettings
from tests.support.smtp import smtp_server  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Flood counters, cached threads and settings live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def post(post_factory, writer):
    return post_factory(
        author=writer, title="Perfect Blue, revisited", slug="perfect-blue"
    )


@pytest.fixture
def policy(db):
    """The discussion settings row; change fields and call .save()."""
    settings_row = DiscussionSettings.load()
    settings_row.save()
    return settings_row


def old_token(post, seconds=10):
    return defences.make_token(f"post:{post.pk}", now=time.time() - seconds)


def guest_data(post, **overrides):
    data = {
        "token": old_token(post),
        "name": "Mima Fan",
        "email": "mima@example.test",
        "url": "",
        "body": "The ending still *gets* me.",
        "parent": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit(client):
    """POST a comment as a browser would; returns the response."""

    def send(post, *, json=False, client_=None, **overrides):
        headers = {"HTTP_ACCEPT": "application/json"} if json else {}
        return (client_ or client).post(
            reverse("discussion:post", args=[post.pk]),
            guest_data(post, **overrides),
            **headers,
        )

    return send


def approved(post, **kwargs) -> Comment:
    """An approved comment stored directly (fixtures for reading tests)."""
    from afterword.discussion.actions import render_body

    values = {
        "author_name": "Reader",
        "author_email": "reader@example.test",
        "body": "A comment.",
        "status": Comment.Status.APPROVED,
    }
    values.update(kwargs)
    values["body_html"] = render_body(values["body"])
    parent = values.get("parent")
    values["depth"] = parent.depth + 1 if parent else 0
    return Comment.objects.create(post=post, **values)


def known_guest(post, client, email="mima@example.test", **kwargs) -> Comment:
    """An approved comment by the guest ``guest_data`` posts as, and the signed
    receipt for it in ``client``'s cookies, as the site leaves it in the
    browser that posted it: from then on that browser is a known commenter."""
    from django.core import signing

    from afterword.discussion import cookies

    comment = approved(post, author_email=email, **kwargs)
    signer = signing.get_cookie_signer(salt=cookies.COMMENTER_COOKIE + cookies.SALT)
    client.cookies[cookies.COMMENTER_COOKIE] = signer.sign(str(comment.pk))
    return comment
