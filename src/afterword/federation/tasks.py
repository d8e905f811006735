"""Background work of the fediverse (run by ``afterword db_worker``).

The only module that enqueues ``deliver_activity``: queueing
(``delivery.queue``), retries and the release of a dead worker's claims
all come through :func:`enqueue`.
"""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

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


def requeue_lost(sender, worker_ids, **kwargs) -> None:
    """``workers_lost`` receiver: what dead workers were posting goes again."""
    for delivery_id in delivery.release_claims(worker_ids):
        enqueue(delivery_id)
