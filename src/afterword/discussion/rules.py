"""Who may comment where, and on what: the rules the actions and views share.

Nothing here writes. ``closed_reason`` is the one answer to "can readers
comment on this post now?"; ``can_edit`` to "may this reader still change
their own comment?".
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .defences import Refused
from .models import Comment, DiscussionSettings


def closed_reason(post, policy: DiscussionSettings | None = None) -> str | None:
    """Why readers cannot comment on ``post`` now, or None when they can."""
    policy = policy or DiscussionSettings.load()
    if not post.is_live():
        return _("This post is not published, so it cannot take comments.")
    if post.visibility == post.Visibility.PRIVATE:
        return _("Comments are closed on this post.")
    if not policy.comments_enabled or not post.comments_open:
        return _("Comments are closed on this post.")
    limit = policy.close_after_days
    if (
        limit
        and post.published_at
        and timezone.now() - post.published_at > timedelta(days=limit)
    ):
        return _("Comments are closed on this post.")
    return None


def parent_for(
    post, parent_id: int | None, policy: DiscussionSettings
) -> Comment | None:
    """The approved comment of ``post`` a reply answers, within the depth limit."""
    if not parent_id:
        return None
    parent = (
        Comment.objects.filter(pk=parent_id)
        .only("id", "post_id", "depth", "status", "parent_id")
        .first()
    )
    if (
        parent is None
        or parent.post_id != post.pk
        or parent.status != Comment.Status.APPROVED
    ):
        raise Refused(
            _("The comment you are replying to is not on this post."), keep_form=False
        )
    return within_depth(parent, policy)


def within_depth(parent: Comment, policy: DiscussionSettings) -> Comment | None:
    """Past the depth limit a reply joins the deepest allowed level instead of
    being refused: the conversation goes on, the layout stays readable."""
    if policy.max_depth <= 1:
        return None
    while parent.depth >= policy.max_depth - 1 and parent.parent_id:
        parent = Comment.objects.only(
            "id", "post_id", "depth", "status", "parent_id"
        ).get(pk=parent.parent_id)
    return parent


def can_edit(comment: Comment, *, user=None, guest_ids=(), now=None) -> bool:
    """Whether this reader may still edit or delete ``comment`` themselves."""
    policy = DiscussionSettings.load()
    now = now or timezone.now()
    if comment.status in (Comment.Status.SPAM, Comment.Status.TRASH):
        return False
    if now - comment.created_at > timedelta(minutes=policy.edit_minutes):
        return False
    if user is not None and user.is_authenticated:
        return comment.user_id == user.pk
    return comment.user_id is None and comment.pk in set(guest_ids)


def may_moderate(user, comment: Comment, permission: str) -> bool:
    """Whether ``user`` may use ``permission`` on ``comment``.

    Editors and administrators hold the permission itself; an author holds
    ``moderate_own_comment``, which covers the comments on their own posts
    only, as in WordPress. No user (a command, an email link) acts as the site.
    """
    if user is None or not permission or user.has_perm(permission):
        return True
    return (
        user.has_perm("discussion.moderate_own_comment")
        and comment.post.author_id == user.pk
    )
