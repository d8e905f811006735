"""Background work of the fediverse (run by ``afterword db_worker``).

The only module that enqueues ``deliver_activity``: queueing
(``queueing.queue``), retries and the release of a dead worker's claims
all come through :func:`enqueue`.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime

from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from . import delivery


@task()
def deliver_activity(delivery_id: int) -> bool:
    """Post one activity to one inbox; a failure schedules it again."""
    return delivery.deliver(delivery_id, retry_later=enqueue)


def enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    chosen = (
        deliver_activity.using(run_after=run_after) if run_after else deliver_activity
    )
    chosen.enqueue(delivery_id)


def enqueue_all(delivery_ids: list[int]) -> None:
    """Enqueue many in one transaction: a post to thousands of inboxes would
    otherwise commit once per task, seconds of the writer's click on SQLite.
    A backend that runs each task at once posts outside any transaction."""
    immediate = isinstance(deliver_activity.get_backend(), ImmediateBackend)
    with nullcontext() if immediate else transaction.atomic():
        for delivery_id in delivery_ids:
            enqueue(delivery_id)


def requeue_lost(sender, worker_ids, **kwargs) -> None:
    """``workers_lost`` receiver: what dead workers were posting goes again."""
    for delivery_id in delivery.release_claims(worker_ids):
        enqueue(delivery_id)
