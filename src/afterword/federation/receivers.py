"""From the other apps' announcements to activities (connected in ``apps``).

* ``posts.signals.post_went_live`` → ``Create`` (and the blog's ``Announce``)
  for posts that federate (``documents.federates``).
* ``core.changes.public_changes`` → for each post changed in the commit:
  ``Update`` if it still federates and the fediverse has it, ``Create`` if
  it federates now but was never sent, ``Delete`` if it was deleted or no
  longer federates after it was sent.
* ``discussion.signals.comment_approved`` → the writer's answer to a
  fediverse comment goes to that person as a ``Create(Note)``.

Every receiver runs after the commit it reports, and queues deliveries in a
transaction of its own.
"""

from __future__ import annotations

import threading

from django.db import transaction

from afterword.core.changes import ChangeSet
from afterword.posts.models import Post

from . import actors, documents, outgoing
from .models import FediverseComment, PublishedObject

_just_published = threading.local()


def _published_now() -> set[int]:
    if not hasattr(_just_published, "pks"):
        _just_published.pks = set()
    return _just_published.pks


def on_post_went_live(sender, post: Post, **kwargs) -> None:
    if not documents.federates(post):
        return
    _published_now().add(post.pk)
    with transaction.atomic():
        outgoing.publish(post)


def on_public_changes(changes: ChangeSet) -> None:
    if Post not in changes:
        return
    pks = changes.pks(Post)
    memo = _published_now()
    published = memo & pks
    memo -= pks
    told = {
        record.post_id: record
        for record in PublishedObject.objects.filter(post_id__in=pks).select_related(
            "author", "author__user"
        )
    }
    stored = {
        post.pk: post
        for post in Post.objects.filter(pk__in=pks).select_related("author")
    }
    with transaction.atomic():
        for pk in sorted(pks - published):
            post, record = stored.get(pk), told.get(pk)
            live_there = record is not None and record.published
            if post is not None and documents.federates(post):
                if live_there:
                    outgoing.update(post)
                else:
                    outgoing.publish(post)
            elif live_there:
                outgoing.delete(record)


def on_comment_approved(sender, comment, **kwargs) -> None:
    """The writer's reply to a fediverse comment goes back to its author."""
    if comment.user_id is None or comment.parent_id is None:
        return
    if comment.user_id != comment.post.author_id:
        return
    parent = FediverseComment.objects.filter(comment_id=comment.parent_id).first()
    if parent is None or not documents.federates(comment.post):
        return
    with transaction.atomic():
        FediverseComment.objects.get_or_create(
            comment=comment,
            defaults={"object_id": actors.comment_object_id(comment.pk)},
        )
        outgoing.send_reply(comment, parent)
