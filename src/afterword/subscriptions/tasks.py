"""Background work of following: the fan-out, its watchdog, the digest."""

from django_tasks import task


@task()
def fan_out(post_id: int) -> bool:
    """Queue the next chunk of follower emails for a post."""
    from .fanout import queue_chunk

    return queue_chunk(post_id)


@task()
def watch_fan_out(post_id: int) -> bool:
    """Repair a post's notifications after a worker restart, until all are out."""
    from .fanout import watch

    return watch(post_id)


@task()
def send_weekly_digest() -> int:
    """Send this week's digests and schedule the next run."""
    from .digest import run

    return run()
