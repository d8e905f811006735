"""Background work of following: the fan-out, its watchdog, the digest.

The only module of the app that enqueues these tasks. It runs the logic in
``fanout`` and ``digest``, which never import it; ``services`` and
``receivers`` call in here to start work.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from afterword.outbox import tasks as outbox_tasks
from afterword.posts.models import Post

from . import digest, fanout


def start_fan_out(post: Post) -> bool:
    """Begin notifying followers of ``post``; True if this call started it."""
    with transaction.atomic():
        started = fanout.begin(post)
        if started:
            fan_out.enqueue(post.pk)
            watch_fan_out.using(run_after=fanout.next_watch()).enqueue(post.pk)
    return started


@task()
def fan_out(post_id: int) -> bool:
    """Queue the next chunk of follower emails for a post, then the next."""
    with transaction.atomic():
        more = fanout.queue_chunk(post_id)
        if more:
            # In the chunk's transaction: a kill loses both or neither.
            fan_out.enqueue(post_id)
    return more


@task()
def watch_fan_out(post_id: int) -> bool:
    """Repair a post's notifications after a worker restart, until all are out."""
    if fanout.finish_if_done(post_id):
        return False
    now = timezone.now()
    # Next run first: if this worker dies below, the watch goes on.
    watch_fan_out.using(run_after=fanout.next_watch(now)).enqueue(post_id)
    repairs = fanout.repair(post_id, now)
    if repairs.chunks_stalled:
        fan_out.enqueue(post_id)
    for email_id in repairs.released_emails:
        outbox_tasks.enqueue(email_id)
    for email_id in repairs.due_emails:
        outbox_tasks.deliver_now(email_id)
    return True


def ensure_digest_scheduled() -> None:
    """Make sure one weekly digest run is queued; schedule it if missing or lost."""
    with transaction.atomic():
        when = digest.plan_missing_run()
        if when is not None:
            send_weekly_digest.using(run_after=when).enqueue()


@task()
def send_weekly_digest() -> int:
    """Send this week's digests and schedule the next run."""
    now = timezone.now()
    sent = digest.send_digests(now)
    with transaction.atomic():
        send_weekly_digest.using(run_after=digest.plan_next_run(now)).enqueue()
    return sent
