"""Background delivery of webhooks (run by ``afterword db_worker``).

The only module of the app that enqueues ``deliver_webhook``: queueing
(``services``), the retry after a failed attempt (``delivery``) and the
release of a dead worker's claims all come through :func:`enqueue`.
"""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from . import delivery


@task()
def deliver_webhook(delivery_id: int) -> bool:
    """Post one delivery; a failure schedules this task again for later."""
    return deliver_now(delivery_id)


def enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    chosen = (
        deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    )
    chosen.enqueue(delivery_id)


def deliver_now(delivery_id: int) -> bool:
    """Claim and post one delivery now; True if this call delivered it."""
    return delivery.deliver(delivery_id, retry_later=enqueue)


def requeue_lost(sender, worker_ids, **kwargs) -> None:
    """``workers_lost`` receiver: what dead workers were posting goes again."""
    for delivery_id in delivery.release_claims(worker_ids):
        enqueue(delivery_id)
