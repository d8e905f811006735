"""Telling followers about a new post: one email per address, in the background.

How it runs (see docs/following.md):

1. ``posts.signals.post_went_live`` -> ``tasks.start_fan_out``: :func:`begin`
   creates the post's :class:`~afterword.subscriptions.models.FanOut` row
   (once per post: a post published again later is not announced again) and
   the same transaction enqueues ``tasks.fan_out`` plus the watchdog
   ``tasks.watch_fan_out``. The request that published does nothing more.
2. ``fan_out`` runs :func:`queue_chunk`: in ONE transaction it queues the
   next ``AFTERWORD_FOLLOW_CHUNK`` (500) outbox emails, in subscriber id
   order, with the idempotency key ``follow:<post>:<subscriber>``, moves the
   cursor and (in the task) enqueues itself for the next chunk. A worker
   killed mid-chunk rolls the whole chunk back; the keys make a repeated
   chunk harmless.
3. The outbox tasks deliver each email once (claim by conditional UPDATE).
4. ``watch_fan_out`` runs every ``AFTERWORD_FOLLOW_WATCH_INTERVAL`` seconds
   until every email of the post is sent or failed (:func:`finish_if_done`).
   It first enqueues its own next run, then repairs what :func:`repair` finds
   a killed worker left behind: a lost chunk task (no progress for an
   interval) is enqueued again; an email stuck in ``sending`` for longer
   than ``AFTERWORD_FOLLOW_STALE_AFTER`` seconds is put back to ``pending``
   (the task workers' leases usually do that much sooner); pending emails
   whose task was lost are sent by the watchdog itself when nothing else
   moves.

This module never enqueues: ``tasks`` does, so the two never import each
other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.language import in_site_language
from afterword.outbox.models import OutgoingEmail
from afterword.posts.models import Post
from afterword.posts.seo import absolute_url
from afterword.series import toc

from . import targets
from .emails import queue_for
from .models import FanOut, Follow, Subscriber

logger = logging.getLogger(__name__)


def chunk_size() -> int:
    return int(getattr(settings, "AFTERWORD_FOLLOW_CHUNK", 500))


def watch_interval() -> float:
    return float(getattr(settings, "AFTERWORD_FOLLOW_WATCH_INTERVAL", 60))


def stale_after() -> float:
    return float(getattr(settings, "AFTERWORD_FOLLOW_STALE_AFTER", 600))


def key_prefix(post_id: int) -> str:
    return f"follow:{post_id}:"


def matching_subscribers(keys: list[str], went_live):
    """Active, immediate subscribers following any of ``keys``: each once.

    Only follows confirmed before the post went live count: someone who
    follows a minute later did not sign up for a post already out.
    """
    follows = Follow.objects.filter(
        subscriber=OuterRef("pk"), target__in=keys, confirmed_at__lte=went_live
    )
    return Subscriber.objects.filter(
        Exists(follows),
        unsubscribed_at__isnull=True,
        frequency=Subscriber.Frequency.IMMEDIATE,
    ).order_by("pk")


def series_place(post: Post) -> tuple[str, str]:
    """("Part 2 of 3 of Memories", displayed title) or ("", post title)."""
    contents = toc.for_post(post.pk)
    entry = contents.entry_for(post.pk) if contents else None
    if entry is None:
        return "", post.title
    place = _("Part %(number)s of %(total)s of %(series)s") % {
        "number": entry.number,
        "total": contents.total,
        "series": contents.series.title,
    }
    return place, entry.title


def begin(post: Post) -> bool:
    """Create the post's fan-out record; True if this call created it.

    Run it in the transaction that enqueues the first chunk and the watchdog.
    """
    if post.kind != Post.Kind.POST:
        return False
    _fan, created = FanOut.objects.get_or_create(post=post)
    return created


def next_watch(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=watch_interval())


@in_site_language
def queue_chunk(post_id: int) -> bool:
    """Queue the next chunk of emails for a post; True if more remain."""
    with transaction.atomic():
        fan = FanOut.objects.select_for_update().filter(post_id=post_id).first()
        if fan is None or fan.queued_all_at is not None:
            return False
        post = Post.objects.select_related("author").filter(pk=post_id).first()
        if post is None:
            return False
        keys = targets.keys_for_post(post)
        batch = list(
            matching_subscribers(keys, fan.started_at).filter(pk__gt=fan.cursor)[
                : chunk_size()
            ]
        )
        place, title = series_place(post)
        url = absolute_url(post.get_absolute_url())
        for subscriber in batch:
            queue_for(
                subscriber,
                f"{key_prefix(post.pk)}{subscriber.pk}",
                _("New: %(title)s") % {"title": title},
                "subscriptions/email/new_post.txt",
                post=post,
                title=title,
                place=place,
                url=url,
            )
        now = timezone.now()
        if batch:
            fan.cursor = batch[-1].pk
            fan.queued += len(batch)
        fan.progressed_at = now
        more = len(batch) == chunk_size()
        if not more:
            fan.queued_all_at = now
        fan.save()
    return more


def outstanding(post_id: int):
    return OutgoingEmail.objects.filter(
        key__startswith=key_prefix(post_id),
        status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING],
    )


def finish_if_done(post_id: int) -> bool:
    """True when the post needs no more watching (marking it finished if so)."""
    fan = FanOut.objects.filter(post_id=post_id).first()
    if fan is None or fan.finished_at is not None:
        return True
    if fan.queued_all_at is not None and not outstanding(post_id).exists():
        FanOut.objects.filter(pk=fan.pk).update(finished_at=timezone.now())
        return True
    return False


@dataclass
class Repairs:
    """What the watchdog found; ``tasks.watch_fan_out`` acts on it."""

    chunks_stalled: bool = False
    released_emails: list[int] = field(default_factory=list)
    due_emails: list[int] = field(default_factory=list)


def repair(post_id: int, now: datetime | None = None) -> Repairs:
    """Find what a killed worker left behind for one post, and reset stale sends."""
    now = now or timezone.now()
    repairs = Repairs()
    fan = FanOut.objects.filter(post_id=post_id).first()
    if fan is None:
        return repairs
    interval = timedelta(seconds=watch_interval())
    if fan.queued_all_at is None and fan.progressed_at < now - interval:
        logger.warning("Fan-out of post %s stalled; resuming it.", post_id)
        repairs.chunks_stalled = True
    stale = list(
        outstanding(post_id)
        .filter(
            status=OutgoingEmail.Status.SENDING,
            claimed_at__lt=now - timedelta(seconds=stale_after()),
        )
        .values_list("pk", flat=True)
    )
    for email_id in stale:
        # Its worker died between claiming and finishing: send it again.
        reset = OutgoingEmail.objects.filter(
            pk=email_id, status=OutgoingEmail.Status.SENDING
        ).update(status=OutgoingEmail.Status.PENDING, next_attempt_at=now)
        if reset:
            repairs.released_emails.append(email_id)
    if stale:
        logger.warning(
            "Re-queued %s interrupted emails of post %s.", len(stale), post_id
        )
    moving = OutgoingEmail.objects.filter(
        key__startswith=key_prefix(post_id), sent_at__gte=now - interval
    ).exists()
    if not moving:
        # Nothing was sent for a whole interval: tasks may have been lost
        # with a killed worker. The watchdog sends what is due itself.
        due = outstanding(post_id).filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
        )
        repairs.due_emails = list(due.values_list("pk", flat=True)[: chunk_size()])
    return repairs
