"""What the signed email links do (see ``links`` and ``views.email_action``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import actions, notifications
from .models import Comment, CommentSubscription


def target_of(action: str, pk: int):
    if action in ("confirm", "unsubscribe"):
        return CommentSubscription.objects.select_related("post").filter(pk=pk).first()
    return Comment.objects.select_related("post").filter(pk=pk).first()


def perform(action: str, target) -> str:
    """Do ``action``; return a sentence saying what happened."""
    if action == "approve":
        actions.approve(target)
        return _("The comment is approved and visible to readers.")
    if action == "spam":
        actions.mark_spam(target)
        return _("The comment is marked as spam.")
    if action == "trash":
        actions.trash(target)
        return _("The comment is in the trash.")
    if action == "stop-replies":
        Comment.objects.filter(pk=target.pk).update(notify_replies=False)
        return _("You will get no more emails about replies to this comment.")
    if action == "confirm":
        notifications.confirm_subscription(target)
        return _("Confirmed: you will be emailed about new comments on this post.")
    if action == "unsubscribe":
        target.delete()
        return _("You will get no more emails about new comments on this post.")
    return _("Nothing was changed.")
