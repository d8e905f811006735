"""Comments: the moderation queue, moderation, replies, deletion.

A writer sees the comments they may moderate (editors all of them, authors
those on their own posts; ``discussion.rules.may_moderate`` decides each
action), and the approved comments on their own posts otherwise. Moving a
comment runs the discussion actions (approve, unapprove, spam, trash,
restore); every write needs the ``moderate`` scope.
"""

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from afterword.credentials import scopes
from afterword.discussion.actions import (
    ApproveComment,
    DeleteComment,
    EditComment,
    ReplyToComment,
    RestoreComment,
    SpamComment,
    TrashComment,
    UnapproveComment,
)
from afterword.discussion.models import Comment

from .auth import need, user
from .conditional import check_if_match
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset, paginate
from .responses import DELETING, reading, writing
from .schemas import CommentOut, CommentPage, CommentPatch, ReplyIn

router = Router()
KEYSET = Keyset("comments", "created_at")
MOVES = {
    Comment.Status.APPROVED: ApproveComment,
    Comment.Status.SPAM: SpamComment,
    Comment.Status.TRASH: TrashComment,
    Comment.Status.PENDING: UnapproveComment,
}


def visible(request):
    writer = user(request)
    comments = Comment.objects.select_related("post")
    if writer.is_superuser or writer.has_perm("discussion.change_comment"):
        return comments
    own = Q(post__author_id=writer.pk)
    if writer.has_perm("discussion.moderate_own_comment"):
        return comments.filter(own)
    return comments.filter(own, status=Comment.Status.APPROVED)


@router.get("", response=reading(CommentPage), summary="List comments, newest first")
def list_comments(
    request,
    status: str | None = Query(None, pattern="^(pending|approved|spam|trash)$"),
    post: int | None = Query(None, ge=1, description="Only this post's comments."),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    comments = visible(request)
    if status:
        comments = comments.filter(status=status)
    if post:
        comments = comments.filter(post_id=post)
    return paginate(comments, KEYSET, cursor, limit)


@router.get("/{int:comment_id}", response=reading(CommentOut), summary="Read one")
def get_comment(request, comment_id: int):
    return get_object_or_404(visible(request), pk=comment_id)


@router.patch(
    "/{int:comment_id}",
    response=writing(CommentOut),
    summary="Moderate: change the status, or correct the text",
    description=(
        "`status` pending (back to the queue), approved, spam or trash; a spam "
        "or trashed comment moved to pending is restored."
    ),
)
def update_comment(request, comment_id: int, payload: CommentPatch):
    need(request, scopes.MODERATE)
    writer = user(request)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        comment = get_object_or_404(
            visible(request).select_for_update(of=("self",)), pk=comment_id
        )
        check_if_match(request, CommentOut, comment)
        if "body" in data:
            comment.body = data["body"]
            EditComment(comment, user=writer).run()
        status = data.get("status")
        if status and status != comment.status:
            move = MOVES[status]
            if status == Comment.Status.PENDING and comment.status in (
                Comment.Status.SPAM,
                Comment.Status.TRASH,
            ):
                move = RestoreComment
            move(comment, user=writer).run()
    return visible(request).get(pk=comment.pk)


@router.post(
    "/{int:comment_id}/replies",
    response=writing(CommentOut, 201),
    summary="Reply as the writer (a held comment is approved first)",
)
def reply_to_comment(request, comment_id: int, payload: ReplyIn):
    need(request, scopes.MODERATE)
    parent = get_object_or_404(visible(request), pk=comment_id)
    reply = ReplyToComment(parent, payload.body, user=user(request)).run()
    return Status(201, Comment.objects.select_related("post").get(pk=reply.pk))


@router.delete("/{int:comment_id}", response=DELETING, summary="Delete for good")
def delete_comment(request, comment_id: int):
    need(request, scopes.MODERATE)
    with transaction.atomic():
        comment = get_object_or_404(
            visible(request).select_for_update(of=("self",)), pk=comment_id
        )
        check_if_match(request, CommentOut, comment)
        DeleteComment(comment, user=user(request)).run()
    return Status(204, None)
