"""Saving many posts at once: one announcement for the batch, after the commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from afterword.core.changes import public_changes
from afterword.posts.actions import announce_together, save_post
from afterword.posts.models import Post
from afterword.posts.signals import post_went_live
from tests import factories


@pytest.fixture
def heard():
    """What was announced, in order, while the test ran: the changed posts
    (``core.changes``) and each post going live."""
    log: list[tuple] = []

    def on_changes(sender, changes, **kwargs):
        log.append(("changed", sorted(changes.pks(Post))))

    def on_live(sender, post, **kwargs):
        log.append(("post_went_live", post.pk))

    public_changes.connect(on_changes, dispatch_uid="test-heard-changes")
    post_went_live.connect(on_live, dispatch_uid="test-heard-live")
    yield log
    public_changes.disconnect(dispatch_uid="test-heard-changes")
    post_went_live.disconnect(dispatch_uid="test-heard-live")


def build(**kwargs) -> Post:
    post = factories.PostFactory.build(**kwargs)
    post.author.save()
    post.author = post.author
    return post


@pytest.mark.django_db
def test_a_batch_is_announced_once_and_each_post_goes_live(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with announce_together():
            first = save_post(build(title="First"))
            save_post(build(title="Draft", status=Post.Status.DRAFT))
            second = save_post(build(title="Second"))
            save_post(first)  # saved twice, announced once
        assert heard == []  # nothing before the commit

    assert heard == [
        ("post_went_live", first.pk),
        ("post_went_live", second.pk),
        # A draft shows nowhere: saving it changes no page.
        ("changed", sorted([first.pk, second.pk])),
    ]
    assert first.body_html.startswith("<p>Some <em>thoughts</em>")


@pytest.mark.django_db
def test_a_post_already_live_does_not_go_live_again(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = factories.save(factories.PostFactory.build())
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True), announce_together():
        post.title = "Edited"
        save_post(post)

    assert heard == [("changed", [post.pk])]


@pytest.mark.django_db
def test_a_rolled_back_batch_announces_nothing(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic(), announce_together():
                save_post(build())
                raise RuntimeError("import failed halfway")
        except RuntimeError:
            pass

    assert heard == []
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_save_undone_by_its_savepoint_is_left_out_of_the_batch(
    heard, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        announce_together(),
    ):
        kept = save_post(build(title="Kept"))
        try:
            with transaction.atomic():
                save_post(build(title="Undone"))
                raise RuntimeError
        except RuntimeError:
            pass

    assert heard == [("post_went_live", kept.pk), ("changed", [kept.pk])]


@pytest.mark.django_db
def test_saves_outside_a_batch_announce_one_by_one(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        one = save_post(build())
        two = save_post(build())

    assert heard == [
        ("post_went_live", one.pk),
        ("changed", [one.pk]),
        ("post_went_live", two.pk),
        ("changed", [two.pk]),
    ]
