"""Emails about comments, queued through the outbox (sent by the task worker).

Each email has an idempotency key naming what it is about, so approving a
comment twice, or a retried request, never emails anyone twice. An email
quotes the comment as written, except its spoiler blocks: each becomes a
line naming it and linking to the comment (``offsite.email_text``); the post's
author reads the whole comment on the site before approving it.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.language import in_site_language
from afterword.outbox.services import queue_email

from . import links, offsite
from .models import Comment, CommentSubscription, DiscussionSettings


def _site() -> str:
    return getattr(settings, "SITE_NAME", "Afterword")


def _send(
    key: str, to: str, subject: str, template: str, context: dict, **kwargs
) -> None:
    context = {"site_name": _site(), "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"discussion/email/{template}.txt", context)
    queue_email(key, to, f"[{_site()}] {subject}", text, **kwargs)


@in_site_language
def comment_received(comment: Comment, policy: DiscussionSettings) -> None:
    """Tell the post's author about a new comment; held ones get approve/spam links."""
    author = comment.post.author
    if not policy.notify_author or not author.email or comment.user_id == author.pk:
        return
    held = comment.status == Comment.Status.PENDING
    approve_url = links.make("approve", comment.pk) if held else ""
    _send(
        f"comment-received:{comment.pk}",
        author.email,
        (_("Please moderate: “%(title)s”") if held else _("New comment on “%(title)s”"))
        % {"title": comment.post.title},
        "comment_received",
        {
            "comment": comment,
            # A held comment is not on the post's page yet; the approval
            # page shows it whole, spoilers included, before anything is done.
            "body": offsite.email_text(comment, link=approve_url),
            "post": comment.post,
            "held": held,
            "comment_url": links.absolute(comment.get_absolute_url()),
            "approve_url": approve_url,
            "spam_url": links.make("spam", comment.pk) if held else "",
            "trash_url": links.make("trash", comment.pk),
        },
    )


@in_site_language
def comment_published(comment: Comment) -> None:
    """A comment became visible: tell the person it answers and the subscribers."""
    commenter = comment.author_email.lower()
    comment_url = links.absolute(comment.get_absolute_url())
    body = offsite.email_text(comment)
    parent = comment.parent
    if (
        parent is not None
        and parent.notify_replies
        and parent.author_email
        and parent.author_email.lower() != commenter
    ):
        stop = links.make("stop-replies", parent.pk)
        _send(
            f"comment-reply:{comment.pk}",
            parent.author_email,
            _("%(name)s replied to you on “%(title)s”")
            % {"name": comment.author_name, "title": comment.post.title},
            "comment_reply",
            {
                "comment": comment,
                "body": body,
                "parent": parent,
                "post": comment.post,
                "comment_url": comment_url,
                "unsubscribe_url": stop,
            },
            unsubscribe_url=stop,
        )
    subscribers = CommentSubscription.objects.filter(
        post_id=comment.post_id, confirmed_at__isnull=False
    ).exclude(email__iexact=commenter)
    if parent is not None and parent.notify_replies:
        subscribers = subscribers.exclude(email__iexact=parent.author_email)
    for subscription in subscribers:
        stop = links.make("unsubscribe", subscription.pk)
        _send(
            f"comment-new:{comment.pk}:{subscription.pk}",
            subscription.email,
            _("New comment on “%(title)s”") % {"title": comment.post.title},
            "comment_new",
            {
                "comment": comment,
                "body": body,
                "post": comment.post,
                "comment_url": comment_url,
                "unsubscribe_url": stop,
            },
            unsubscribe_url=stop,
        )


@in_site_language
def request_subscription(post, email: str) -> CommentSubscription:
    """Start a double opt-in: store the wish and email a confirmation link."""
    subscription, _created = CommentSubscription.objects.get_or_create(
        post=post, email=email.strip().lower()
    )
    if subscription.confirmed_at is None:
        _send(
            f"comment-subscribe:{subscription.pk}",
            subscription.email,
            _("Confirm: new comments on “%(title)s”") % {"title": post.title},
            "subscribe_confirm",
            {
                "post": post,
                "post_url": links.absolute(post.get_absolute_url()),
                "confirm_url": links.make("confirm", subscription.pk),
            },
        )
    return subscription


def confirm_subscription(subscription: CommentSubscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
