"""The activities the site sends, and to whom.

A post goes out as the author's ``Create(Article)`` to the author's
followers; the blog's actor ``Announce``s it to the blog's followers, so
following either shows the review. Edits are ``Update``s and deletions
``Delete``s, to both sets. Followers on one server with a shared inbox get
one delivery between them (``queueing.queue``).
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from . import actors, documents, queueing
from .models import Follower, LocalActor, PublishedObject


def new_activity_id() -> str:
    return actors.absolute(f"/ap/activities/{uuid.uuid4().hex}")


def follower_inboxes(*local: LocalActor) -> set[str]:
    if not local:
        return set()
    rows = Follower.objects.filter(
        actor__in=local, state=Follower.State.ACCEPTED
    ).values_list("remote__shared_inbox", "remote__inbox")
    return {shared or inbox for shared, inbox in rows}


def activity(kind: str, actor: LocalActor, obj, **extra) -> dict:
    document = {
        "@context": documents.CONTEXT,
        "id": new_activity_id(),
        "type": kind,
        "actor": actors.actor_id(actor),
        "object": obj,
    }
    document.update(extra)
    return document


def accept_follow(follower: Follower) -> None:
    _answer_follow("Accept", follower)


def reject_follow(follower: Follower) -> None:
    _answer_follow("Reject", follower)


def _answer_follow(kind: str, follower: Follower) -> None:
    local = follower.actor
    follow = {
        "id": follower.follow_id,
        "type": "Follow",
        "actor": follower.remote.uri,
        "object": actors.actor_id(local),
    }
    queueing.queue(
        activity(kind, local, follow, to=[follower.remote.uri]),
        local,
        [follower.remote.inbox],
    )


def publish(post) -> None:
    """A post went live (or public): Create to the author's followers, and
    the blog's Announce to its own. With nobody to tell, nothing is sent or
    remembered: whoever follows later is sent the post at its next save."""
    known_author = actors.existing_actor(post.author)
    site = actors.existing_actor(None)
    to_author = follower_inboxes(known_author) if known_author else set()
    to_site = (follower_inboxes(site) - to_author) if site else set()
    if not (to_author or to_site):
        return
    author = known_author or actors.author_actor(post.author)
    article = documents.article(post)
    create = activity(
        "Create",
        author,
        article,
        published=article["published"],
        to=article["to"],
        cc=article["cc"],
    )
    queueing.queue(create, author, to_author)
    if to_site:
        announce = activity(
            "Announce",
            site,
            article["id"],
            published=documents.iso(timezone.now()),
            to=[documents.PUBLIC],
            cc=[actors.collection_url(site, "followers"), actors.actor_id(author)],
        )
        queueing.queue(announce, site, to_site)
    _remember(post.pk, author, published=True)


def update(post) -> None:
    known = [
        a
        for a in (actors.existing_actor(post.author), actors.existing_actor(None))
        if a
    ]
    inboxes = follower_inboxes(*known)
    if not inboxes:
        return
    author = actors.author_actor(post.author)
    article = documents.article(post)
    update = activity("Update", author, article, to=article["to"], cc=article["cc"])
    queueing.queue(update, author, inboxes)
    _remember(post.pk, author, published=True)


def delete(record: PublishedObject) -> None:
    """The post was deleted, unpublished or made non-public: a Delete, and
    its id answers with a Tombstone from now on."""
    author = record.author
    object_id = actors.post_object_id(record.post_id)
    gone = activity(
        "Delete",
        author,
        {"id": object_id, "type": "Tombstone"},
        to=[documents.PUBLIC],
        cc=[actors.collection_url(author, "followers")],
    )
    site = actors.existing_actor(None)
    queueing.queue(gone, author, follower_inboxes(author, *([site] if site else [])))
    PublishedObject.objects.filter(pk=record.pk).update(
        published=False, deleted_at=timezone.now(), updated_at=timezone.now()
    )


def _remember(post_id: int, author: LocalActor, *, published: bool) -> None:
    PublishedObject.objects.update_or_create(
        post_id=post_id,
        defaults={
            "author": author,
            "published": published,
            "updated_at": timezone.now(),
            "deleted_at": None,
        },
    )


def send_reply(comment, parent_link) -> None:
    """The writer answered a fediverse comment: a Create(Note) to the
    person answered and to the post's followers."""
    author = actors.author_actor(comment.user)
    remote = parent_link.remote
    note = documents.note(comment, parent_link.object_id, remote)
    create = activity("Create", author, note, to=note["to"], cc=note["cc"])
    inboxes = follower_inboxes(author)
    if remote is not None:
        inboxes.add(remote.inbox)
    queueing.queue(create, author, inboxes)
