"""Saving many posts at once: one announcement for the batch, after the commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from afterword.posts.models import Post
from afterword.posts.services import announce_together, save_post
from afterword.posts.signals import content_changed, post_went_live, posts_changed
from tests import factories


@pytest.fixture
def heard():
    """What the three post signals said, in order, while the test ran."""
    log: list[tuple] = []

    def on_changed(sender, instance=None, **kwargs):
        log.append(("content_changed", sender, instance))

    def on_many(sender, post_ids, **kwargs):
        log.append(("posts_changed", sender, list(post_ids)))

    def on_live(sender, post, **kwargs):
        log.append(("post_went_live", sender, post.pk))

    content_changed.connect(on_changed, dispatch_uid="test-heard-changed")
    posts_changed.connect(on_many, dispatch_uid="test-heard-many")
    post_went_live.connect(on_live, dispatch_uid="test-heard-live")
    yield log
    content_changed.disconnect(dispatch_uid="test-heard-changed")
    posts_changed.disconnect(dispatch_uid="test-heard-many")
    post_went_live.disconnect(dispatch_uid="test-heard-live")


def build(**kwargs) -> Post:
    post = factories.PostFactory.build(**kwargs)
    post.author.save()
    post.author = post.author
    return post


@pytest.mark.django_db
def test_a_batch_sends_one_posts_changed_and_each_going_live(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with announce_together():
            first = save_post(build(title="First"))
            draft = save_post(build(title="Draft", status=Post.Status.DRAFT))
            second = save_post(build(title="Second"))
            save_post(first)  # saved twice, announced once
        assert heard == []  # nothing before the commit

    assert heard == [
        ("posts_changed", Post, [first.pk, draft.pk, second.pk]),
        ("post_went_live", Post, first.pk),
        ("post_went_live", Post, second.pk),
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

    assert heard == [("posts_changed", Post, [post.pk])]


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

    assert heard == [
        ("posts_changed", Post, [kept.pk]),
        ("post_went_live", Post, kept.pk),
    ]


@pytest.mark.django_db
def test_saves_outside_a_batch_announce_one_by_one(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = save_post(build())

    assert heard == [
        ("content_changed", Post, post),
        ("post_went_live", Post, post.pk),
    ]
