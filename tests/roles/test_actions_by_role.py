"""Every writer action × every role: allowed or refused, as WordPress means them.

The actions' own ``check()`` is asked, because that is what the desk, the
admin, the importers and (later) the API all go through; the desk's screens
are walked by role in tests/desk/test_screens_by_role.py.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image as PILImage

from afterword.accounts.actions import SetRole
from afterword.catalog.actions import DeleteCatalogObject, SaveCatalogObject
from afterword.catalog.models import Work
from afterword.discussion.actions import (
    ApproveComment,
    ReplyToComment,
    SpamComment,
    UpdateDiscussionSettings,
)
from afterword.discussion.models import Comment, DiscussionSettings
from afterword.media.actions import UploadImage
from afterword.posts import actions as post_actions
from afterword.posts.models import Category, Post, Tag
from afterword.series.actions import SaveSeries
from afterword.series.models import Series
from tests import factories

from .conftest import ROLE_NAMES

pytestmark = pytest.mark.django_db

C, A, E, AD = ROLE_NAMES


def _png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "square.png"
    return buffer


class World:
    """The rows the actions act on, made once per test."""

    def __init__(self, me, someone_else):
        self.me, self.other = me, someone_else
        self.my_draft = factories.save(
            factories.PostFactory.build(author=me, status="draft", slug="my-draft")
        )
        self.my_published = factories.save(
            factories.PostFactory.build(author=me, slug="my-published")
        )
        self.others_post = factories.save(
            factories.PostFactory.build(author=someone_else, slug="not-mine")
        )
        self.comment = Comment.objects.create(
            post=self.others_post,
            author_name="Reader",
            author_email="reader@example.test",
            body="Held for a look.",
            body_html="<p>Held for a look.</p>",
            status=Comment.Status.PENDING,
        )
        self.work = Work.objects.create(title="Memories", slug="memories-1995")
        self.reader = factories.UserFactory(username="plain-reader")


def _publish(world, user):
    world.my_draft.status = Post.Status.PUBLISHED
    return post_actions.SavePost(world.my_draft, user=user)


ACTIONS = {
    # action: (how to make it, the roles it allows)
    "save own draft": (
        lambda w, u: post_actions.SavePost(w.my_draft, user=u),
        {C, A, E, AD},
    ),
    "start a new draft": (
        lambda w, u: post_actions.SavePost(
            Post(title="New", slug="new", author=u, status="draft"), user=u
        ),
        {C, A, E, AD},
    ),
    "publish own draft": (_publish, {A, E, AD}),
    "edit own published post": (
        lambda w, u: post_actions.SavePost(w.my_published, user=u),
        {A, E, AD},
    ),
    "delete own draft": (
        lambda w, u: post_actions.DeletePost(w.my_draft, user=u),
        {C, A, E, AD},
    ),
    "delete own published post": (
        lambda w, u: post_actions.DeletePost(w.my_published, user=u),
        {A, E, AD},
    ),
    "edit another writer's post": (
        lambda w, u: post_actions.SavePost(w.others_post, user=u),
        {E, AD},
    ),
    "delete another writer's post": (
        lambda w, u: post_actions.DeletePost(w.others_post, user=u),
        {E, AD},
    ),
    "add a tag": (
        lambda w, u: post_actions.SaveTerm(
            Tag(name="Anthology", slug="anthology"), user=u
        ),
        {C, A, E, AD},
    ),
    "add a category": (
        lambda w, u: post_actions.SaveTerm(
            Category(name="Essays", slug="essays"), user=u
        ),
        {E, AD},
    ),
    "approve a comment": (lambda w, u: ApproveComment(w.comment, user=u), {E, AD}),
    "mark a comment as spam": (lambda w, u: SpamComment(w.comment, user=u), {E, AD}),
    "reply to a comment": (
        lambda w, u: ReplyToComment(w.comment, "Thanks!", user=u),
        {E, AD},
    ),
    "change discussion settings": (
        lambda w, u: UpdateDiscussionSettings(DiscussionSettings.load(), user=u),
        {AD},
    ),
    "add a work to the catalog": (
        lambda w, u: SaveCatalogObject(
            Work(title="Stink Bomb", slug="stink-bomb"), user=u
        ),
        {A, E, AD},
    ),
    "change a work": (lambda w, u: SaveCatalogObject(w.work, user=u), {E, AD}),
    "delete a work": (lambda w, u: DeleteCatalogObject(w.work, user=u), {E, AD}),
    "start a series": (
        lambda w, u: SaveSeries(
            Series(title="Memories, in three parts", slug="memories"), user=u
        ),
        {A, E, AD},
    ),
    "upload an image": (lambda w, u: UploadImage(_png(), user=u), {A, E, AD}),
    "give someone a role": (
        lambda w, u: SetRole(w.reader, "author", user=u),
        {AD},
    ),
}


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("action_name", list(ACTIONS))
def test_action_by_role(role_user, role, action_name):
    me = role_user(role)
    world = World(me, factories.UserFactory(username="someone-else"))
    make, allowed = ACTIONS[action_name]
    action = make(world, me)
    if role in allowed:
        action.check()
    else:
        with pytest.raises((PermissionDenied, ValidationError)) as refusal:
            action.check()
        # A refusal of the role, not an unrelated validation failure.
        assert refusal.type is PermissionDenied, refusal.value
