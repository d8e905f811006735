"""The weekly digest: one email per digest subscriber with the week's posts.

There is no cron line: the digest task (``tasks.send_weekly_digest``)
schedules its own next run with ``run_after`` each time the worker runs it (a
single ``DigestRun`` row holds the time, so it is never scheduled twice). The
first run is scheduled when a subscriber picks the weekly digest
(``tasks.ensure_digest_scheduled``); :func:`plan_missing_run` also notices a
run that was lost (a worker killed while running it) so it is scheduled
again. This module decides times; ``tasks`` enqueues.
Runs fall on ``AFTERWORD_DIGEST_WEEKDAY`` (0 = Monday) at
``AFTERWORD_DIGEST_HOUR`` in the site's time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from afterword.core.language import in_site_language
from afterword.posts.models import Post
from afterword.posts.seo import absolute_url

from .emails import queue_for
from .models import DigestRun, Subscriber
from .targets import SITE, split

WEEK = timedelta(days=7)


def next_slot(after: datetime) -> datetime:
    weekday = int(getattr(settings, "AFTERWORD_DIGEST_WEEKDAY", 0))
    hour = int(getattr(settings, "AFTERWORD_DIGEST_HOUR", 8))
    local = timezone.localtime(after)
    slot = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    slot += timedelta(days=(weekday - slot.weekday()) % 7)
    if slot <= local:
        slot += WEEK
    return slot


def plan_missing_run(now: datetime | None = None) -> datetime | None:
    """The time to enqueue a digest run for, if none is queued (or it was lost).

    Locks the ``DigestRun`` row: call it in the transaction that enqueues.
    """
    now = now or timezone.now()
    run = DigestRun.objects.select_for_update().first()
    lost = run is not None and run.next_run_at < now - timedelta(hours=1)
    if run is not None and not lost:
        return None
    when = next_slot(now)
    if run is None:
        DigestRun.objects.create(next_run_at=when)
    else:
        run.next_run_at = when
        run.save(update_fields=["next_run_at"])
    return when


def posts_for(subscriber: Subscriber, since: datetime, until: datetime) -> list[Post]:
    keys = set(
        subscriber.follows.filter(confirmed_at__isnull=False).values_list(
            "target", flat=True
        )
    )
    posts = (
        Post.objects.posts()
        .listed(until)
        .filter(published_at__gt=since, published_at__lte=until)
    )
    if SITE not in keys:
        ids: dict[str, list[int]] = {"tag": [], "category": [], "series": []}
        for key in keys:
            parts = split(key)
            if parts:
                ids[parts[0]].append(parts[1])
        match = Q(pk__in=[])
        if ids.get("tag"):
            match |= Q(tags__in=ids["tag"])
        if ids.get("category"):
            match |= Q(categories__in=ids["category"])
        if ids.get("series"):
            match |= Q(series_part__series__in=ids["series"])
        posts = posts.filter(match).distinct()
    return list(posts.order_by("published_at", "pk"))


@in_site_language
def send_digests(now: datetime | None = None) -> int:
    """Queue this week's digest for every digest subscriber; return how many."""
    now = now or timezone.now()
    week = f"{now:%G-W%V}"
    sent = 0
    subscribers = Subscriber.objects.filter(
        frequency=Subscriber.Frequency.WEEKLY,
        unsubscribed_at__isnull=True,
        follows__confirmed_at__isnull=False,
    ).distinct()
    for subscriber in subscribers:
        since = subscriber.last_digest_at or now - WEEK
        posts = posts_for(subscriber, since, now)
        with transaction.atomic():
            if posts:
                queue_for(
                    subscriber,
                    f"digest:{subscriber.pk}:{week}",
                    ngettext(
                        "This week on %(site)s: %(count)s new post",
                        "This week on %(site)s: %(count)s new posts",
                        len(posts),
                    )
                    % {"site": settings.SITE_NAME, "count": len(posts)},
                    "subscriptions/email/digest.txt",
                    posts=[
                        (post, absolute_url(post.get_absolute_url())) for post in posts
                    ],
                )
                sent += 1
            Subscriber.objects.filter(pk=subscriber.pk).update(last_digest_at=now)
    return sent


def plan_next_run(now: datetime | None = None) -> datetime:
    """After a run: the one next run's time (call it in the enqueueing transaction)."""
    when = next_slot(now or timezone.now())
    DigestRun.objects.all().delete()
    DigestRun.objects.create(next_run_at=when)
    return when
