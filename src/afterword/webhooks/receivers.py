"""From the other apps' announcements to webhook events (connected in ``apps``).

* ``posts.signals.post_went_live`` → ``post.published`` (public posts only).
* ``core.changes.public_changes`` → for each post changed in the commit:
  ``post.updated`` if it is live and public (unless the same commit just
  published it), ``post.deleted`` if it was deleted while public or, still
  stored, is no longer public after webhooks were told it was.
* ``discussion.signals.comment_held`` / ``comment_approved`` →
  ``comment.held`` / ``comment.approved`` (comments on public posts only).

Every receiver runs after the commit of the change it reports and queues
its deliveries in a transaction of its own.
"""

from __future__ import annotations

import threading

from django.db import transaction

from afterword.core.changes import ChangeSet
from afterword.posts.models import Post

from . import events, services
from .models import Event, Webhook

# Posts ``post.published`` was raised for, until the announcement of the same
# commit's changes (sent right after ``post_went_live``, in the same thread)
# has been read: that save is a publication, not an update.
_just_published = threading.local()


def _published_now() -> set[int]:
    if not hasattr(_just_published, "pks"):
        _just_published.pks = set()
    return _just_published.pks


def on_post_went_live(sender, post: Post, **kwargs) -> None:
    occurrence = events.post_event(Event.POST_PUBLISHED, post)
    if occurrence is None:
        return
    _published_now().add(post.pk)
    with transaction.atomic():
        services.queue(occurrence)


def on_public_changes(changes: ChangeSet) -> None:
    if Post not in changes:
        return
    pks = changes.pks(Post)
    memo = _published_now()
    published = memo & pks
    memo -= pks
    if not Webhook.objects.filter(active=True).exists():
        return
    known = {post.pk: post for post in changes.instances(Post)}
    stored = {
        post.pk: post
        for post in Post.objects.filter(pk__in=pks).select_related("author")
    }
    with transaction.atomic():
        for pk in sorted(pks):
            if pk in published:
                continue
            post = stored.get(pk)
            if post is None:
                _deleted(pk, known.get(pk))
            elif events.is_public_post(post):
                services.queue(events.post_event(Event.POST_UPDATED, post))
            elif services.told_public(pk):
                services.queue(events.post_gone(pk, post.kind, deleted=False))


def _deleted(pk: int, last: Post | None) -> None:
    """A post row went away: tell receivers if readers could see it."""
    was_public = last is not None and events.is_public_post(last)
    if was_public or services.told_public(pk):
        kind = last.kind if last is not None else Post.Kind.POST
        services.queue(events.post_gone(pk, kind, deleted=True))


def on_comment_held(sender, comment, **kwargs) -> None:
    with transaction.atomic():
        services.queue(events.comment_event(Event.COMMENT_HELD, comment))


def on_comment_approved(sender, comment, **kwargs) -> None:
    with transaction.atomic():
        services.queue(events.comment_event(Event.COMMENT_APPROVED, comment))
