"""Background delivery of queued email (run by ``afterword db_worker``).

The only module of the outbox that enqueues ``send_email``: queueing
(``services``) and the failure path of a delivery (``delivery``) ask for a
retry through :func:`enqueue`, never by importing each other.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from django.core.mail import get_connection
from django_tasks import task

from . import delivery


@task()
def send_email(email_id: int) -> bool:
    """Send one queued email; a failure schedules this task again for later."""
    return deliver_now(email_id)


@task()
def deliver_pending_emails(limit: int = 100) -> int:
    """Sweep the outbox for due pending emails whose own task went missing."""
    return deliver_pending(limit)


def enqueue(email_id: int, run_after: datetime | None = None) -> None:
    task = send_email.using(run_after=run_after) if run_after else send_email
    task.enqueue(email_id)


def deliver_now(email_id: int, connection=None) -> bool:
    """Claim and send one email now; True if this call sent it."""
    return delivery.deliver(email_id, retry_later=enqueue, connection=connection)


def deliver_pending(limit: int = 100) -> int:
    """Send up to ``limit`` due pending emails over one connection; how many."""
    due = delivery.due(limit)
    if not due:
        return 0
    connection = get_connection()
    # Opened once for the sweep; if the server is down, each email's own
    # attempt records the failure.
    with contextlib.suppress(Exception):
        connection.open()
    try:
        return sum(deliver_now(email_id, connection=connection) for email_id in due)
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def requeue_lost(sender, worker_ids, **kwargs) -> None:
    """``workers_lost`` receiver: what dead workers were sending goes out again."""
    for email_id in delivery.release_claims(worker_ids):
        enqueue(email_id)
