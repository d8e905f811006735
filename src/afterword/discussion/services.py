"""Everything that changes comments: submitting, moderating, editing.

Views, the admin queue, the signed email links and the demo loader all call
these functions, so a comment approved from an email behaves exactly like
one approved in the admin (notifications, cache invalidation, counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from afterword.core.markdown import render_markdown
from afterword.posts.signals import content_changed

from . import defences, notifications, threads
from .defences import Refused
from .models import Comment, DiscussionSettings
from .moderation import decide


@dataclass
class CommentInput:
    """A commenter's submission after form validation."""

    body: str
    name: str = ""
    email: str = ""
    url: str = ""
    parent_id: int | None = None
    notify_replies: bool = False
    subscribe: bool = False


def render_body(body: str) -> str:
    return render_markdown(body, profile="comment").html


def closed_reason(post, policy: DiscussionSettings | None = None) -> str | None:
    """Why readers cannot comment on ``post`` now, or None when they can."""
    policy = policy or DiscussionSettings.load()
    if not post.is_live():
        return "This post is not published, so it cannot take comments."
    if not policy.comments_enabled or not post.comments_open:
        return "Comments are closed on this post."
    limit = policy.close_after_days
    if (
        limit
        and post.published_at
        and timezone.now() - post.published_at > timedelta(days=limit)
    ):
        return "Comments are closed on this post."
    return None


def _parent_for(
    post, parent_id: int | None, policy: DiscussionSettings
) -> Comment | None:
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
            "The comment you are replying to is not on this post.", keep_form=False
        )
    return _within_depth(parent, policy)


def _within_depth(parent: Comment, policy: DiscussionSettings) -> Comment | None:
    """Past the depth limit a reply joins the deepest allowed level instead of
    being refused: the conversation goes on, the layout stays readable."""
    if policy.max_depth <= 1:
        return None
    while parent.depth >= policy.max_depth - 1 and parent.parent_id:
        parent = Comment.objects.only(
            "id", "post_id", "depth", "status", "parent_id"
        ).get(pk=parent.parent_id)
    return parent


def _identity(user, data: CommentInput) -> str:
    return (
        f"user:{user.pk}" if user is not None else f"email:{data.email.strip().lower()}"
    )


def submit_comment(
    post,
    data: CommentInput,
    *,
    user=None,
    ip: str | None = None,
    user_agent: str = "",
    provider_name: str = "",
) -> Comment:
    """Store a reader's comment after the moderation rules; raise Refused if not.

    The returned comment's ``status`` says whether it is visible now or held.
    """
    policy = DiscussionSettings.load()
    reason = closed_reason(post, policy)
    if reason:
        raise Refused(reason, status=403, keep_form=False)
    if user is not None and not user.is_authenticated:
        user = None
    defences.hit(
        "identity",
        _identity(user, data),
        defences.Limit(policy.flood_identity_limit, policy.flood_window_seconds),
        "You are commenting too fast. Please wait a few minutes and try again.",
    )
    parent = _parent_for(post, data.parent_id, policy)
    body = data.body.strip()
    comment = Comment(
        post=post,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        user=user,
        author_name=(user.public_name if user else data.name.strip())[:100],
        author_email=(user.email if user else data.email.strip()) or "",
        author_url=(user.website if user else data.url.strip()) or "",
        provider_name=provider_name[:60],
        body=body,
        body_html=render_body(body),
        is_post_author=user is not None and user.pk == post.author_id,
        notify_replies=data.notify_replies,
        ip_address=ip or None,
        user_agent=user_agent[:255],
    )
    duplicate = Comment.objects.filter(post=post, body=body).exclude(
        status=Comment.Status.TRASH
    )
    duplicate = (
        duplicate.filter(user=user)
        if user
        else duplicate.filter(author_email__iexact=comment.author_email)
    )
    if duplicate.exists():
        raise Refused(
            "It looks like you have already said that.", status=409, keep_form=False
        )
    verdict = decide(comment, policy, {"ip": ip, "user_agent": user_agent})
    comment.status = verdict.status
    comment.moderation_note = verdict.note[:200]
    with transaction.atomic():
        comment.save()
        if comment.status != Comment.Status.SPAM:
            notifications.comment_received(comment, policy)
        if comment.status == Comment.Status.APPROVED:
            notifications.comment_published(comment)
        if data.subscribe and comment.author_email:
            notifications.request_subscription(post, comment.author_email)
    if comment.status == Comment.Status.APPROVED:
        _changed(comment)
    return comment


def _changed(comment: Comment) -> None:
    """Forget the cached thread and tell the page cache readers' view changed."""
    threads.invalidate(comment.post_id)

    def after_commit() -> None:
        # Again after commit: a reader may have re-cached the old thread
        # while the transaction was still open.
        threads.invalidate(comment.post_id)
        content_changed.send(sender=Comment, instance=comment)

    transaction.on_commit(after_commit, robust=True)


def _set_status(comment: Comment, status: str) -> bool:
    """Move a comment to ``status``; True when it actually changed."""
    previous = comment.status
    if previous == status:
        return False
    updated = Comment.objects.filter(pk=comment.pk, status=previous).update(
        status=status
    )
    if not updated:
        return False
    comment.status = status
    if Comment.Status.APPROVED in (previous, status):
        _changed(comment)
    return True


def approve(comment: Comment) -> bool:
    """Publish a held (or spam/trashed) comment and notify who should hear of it."""
    with transaction.atomic():
        changed = _set_status(comment, Comment.Status.APPROVED)
        if changed:
            notifications.comment_published(comment)
    return changed


def mark_spam(comment: Comment) -> bool:
    return _set_status(comment, Comment.Status.SPAM)


def trash(comment: Comment) -> bool:
    return _set_status(comment, Comment.Status.TRASH)


def reply(parent: Comment, user, body: str) -> Comment:
    """The writer answers a comment (from the admin); approves the parent first."""
    if parent.status != Comment.Status.APPROVED:
        approve(parent)
    policy = DiscussionSettings.load()
    depth_parent = _within_depth(parent, policy)
    comment = Comment(
        post=parent.post,
        parent=depth_parent,
        depth=depth_parent.depth + 1 if depth_parent else 0,
        user=user,
        author_name=user.public_name,
        author_email=user.email,
        author_url=user.website,
        body=body.strip(),
        body_html=render_body(body.strip()),
        is_post_author=user.pk == parent.post.author_id,
        status=Comment.Status.APPROVED,
    )
    with transaction.atomic():
        comment.save()
        notifications.comment_published(comment)
    _changed(comment)
    return comment


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


def edit_own(comment: Comment, body: str) -> Comment:
    """Replace the text of a commenter's own comment (rights checked by caller)."""
    body = body.strip()
    Comment.objects.filter(pk=comment.pk).update(
        body=body, body_html=render_body(body), edited_at=timezone.now()
    )
    comment.refresh_from_db()
    if comment.status == Comment.Status.APPROVED:
        _changed(comment)
    return comment


def delete_own(comment: Comment) -> bool:
    return trash(comment)


def add_comment(
    post,
    *,
    name: str,
    body: str,
    email: str = "",
    url: str = "",
    parent: Comment | None = None,
    user=None,
    created_at=None,
    status: str = Comment.Status.APPROVED,
) -> Comment:
    """Store a comment as given, with no moderation and no emails.

    For importers and the demo: the comment was already moderated elsewhere.
    """
    comment = Comment(
        post=post,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        user=user,
        author_name=name[:100],
        author_email=email,
        author_url=url,
        body=body.strip(),
        body_html=render_body(body.strip()),
        is_post_author=user is not None and user.pk == post.author_id,
        status=status,
        created_at=created_at or timezone.now(),
    )
    comment.save()
    if status == Comment.Status.APPROVED:
        _changed(comment)
    return comment
