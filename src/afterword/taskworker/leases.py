"""Leases: how a worker proves it is alive, and how the others notice it died.

A worker holds one lease (a ``WorkerLease`` row) from before its first claim
until it stops. A heartbeat thread pushes the lease's expiry forward every
quarter of ``lease_seconds()``. Whoever finds an expired lease deletes it
with a conditional DELETE (one deleter wins) and, in the same transaction,
puts that worker's RUNNING tasks back to READY and sends
``signals.workers_lost``. A task is put back with a conditional UPDATE that
names the claim it undoes (status RUNNING, same ``started_at``), so it is
taken up again exactly once however many workers recover at the same time.

A worker never renews a lease that is gone: a missing row means someone
already gave its tasks away, so the heartbeat stops the process at once
(:func:`fence`) rather than let a task run in two places.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerLease
from .signals import workers_lost

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 60

# The id of the worker running in this process (set by ``db_worker``), so
# that code running inside a task can mark what it claims with it.
_current_worker = ""


def lease_seconds() -> float:
    return float(getattr(settings, "AFTERWORD_TASK_LEASE", DEFAULT_LEASE_SECONDS))


def current_worker_id() -> str:
    """The task worker running this code, or "" outside a worker."""
    return _current_worker


def set_current_worker(worker_id: str) -> None:
    global _current_worker
    _current_worker = worker_id


def register(worker_id: str) -> WorkerLease:
    """Take a lease for ``worker_id``; call before claiming anything."""
    now = timezone.now()
    lease, _ = WorkerLease.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "renewed_at": now,
            "expires_at": now + timedelta(seconds=lease_seconds()),
        },
    )
    return lease


def renew(worker_id: str) -> bool:
    """Extend the lease; False if it is gone (its tasks were given away)."""
    now = timezone.now()
    return bool(
        WorkerLease.objects.filter(worker_id=worker_id).update(
            renewed_at=now, expires_at=now + timedelta(seconds=lease_seconds())
        )
    )


@dataclass
class Recovery:
    """What one recovery pass did."""

    lost_workers: list[str] = field(default_factory=list)
    requeued_tasks: list[str] = field(default_factory=list)


def _owner(worker_ids) -> str:
    return worker_ids[-1] if worker_ids else ""


def _requeue(task_id, started_at) -> bool:
    """Undo one claim; only the claim we looked at, only once."""
    return bool(
        DBTaskResult.objects.filter(
            pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY)
    )


def recover(now: datetime | None = None) -> Recovery:
    """Give the tasks of dead workers back to the queue; safe to run anywhere.

    A task's worker is dead when its lease expired, or when it has no lease at
    all and the task was claimed more than a lease ago (a worker that stopped,
    or one started by a version without leases).
    """
    now = now or timezone.now()
    running = list(
        DBTaskResult.objects.running().values_list("id", "worker_ids", "started_at")
    )
    leases = dict(WorkerLease.objects.values_list("worker_id", "expires_at"))
    expired = [worker for worker, expiry in leases.items() if expiry < now]
    cutoff = now - timedelta(seconds=lease_seconds())
    orphans = [
        (task_id, started_at)
        for task_id, worker_ids, started_at in running
        if _owner(worker_ids) not in leases and started_at and started_at < cutoff
    ]
    recovery = Recovery()
    if not expired and not orphans:
        return recovery  # the usual case: no write at all
    with transaction.atomic():
        for worker in expired:
            # The DELETE re-checks the expiry: a worker that renewed in the
            # meantime keeps its lease and its tasks.
            deleted, _ = WorkerLease.objects.filter(
                worker_id=worker, expires_at__lt=now
            ).delete()
            if deleted:
                recovery.lost_workers.append(worker)
        lost = set(recovery.lost_workers)
        for task_id, worker_ids, started_at in running:
            if _owner(worker_ids) in lost and _requeue(task_id, started_at):
                recovery.requeued_tasks.append(str(task_id))
        for task_id, started_at in orphans:
            if _requeue(task_id, started_at):
                recovery.requeued_tasks.append(str(task_id))
        orphan_owners = {
            _owner(worker_ids)
            for task_id, worker_ids, _ in running
            if str(task_id) in recovery.requeued_tasks
        } - lost
        gone = [*recovery.lost_workers, *sorted(orphan_owners - {""})]
        if gone:
            workers_lost.send(sender=WorkerLease, worker_ids=gone)
    if recovery.requeued_tasks or recovery.lost_workers:
        logger.warning(
            "Task workers %s are gone; put %s of their tasks back in the queue.",
            ", ".join(recovery.lost_workers) or "(without lease)",
            len(recovery.requeued_tasks),
        )
    return recovery


def release(worker_id: str) -> Recovery:
    """A worker stops: give back what it still holds and drop its lease."""
    recovery = Recovery(lost_workers=[worker_id])
    running = DBTaskResult.objects.running().values_list(
        "id", "worker_ids", "started_at"
    )
    with transaction.atomic():
        for task_id, worker_ids, started_at in running:
            if _owner(worker_ids) == worker_id and _requeue(task_id, started_at):
                recovery.requeued_tasks.append(str(task_id))
        workers_lost.send(sender=WorkerLease, worker_ids=[worker_id])
        WorkerLease.objects.filter(worker_id=worker_id).delete()
    return recovery


def fence(worker_id: str) -> None:
    """Stop this process now: its lease was taken, its task may run elsewhere."""
    logger.critical(
        "Task worker %s lost its lease (another worker took its tasks back); "
        "stopping at once so no task runs twice.",
        worker_id,
    )
    os._exit(75)


class Heartbeat(threading.Thread):
    """Renews this worker's lease and recovers dead workers' tasks, in the
    background, so that a task of any length keeps its lease."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"lease-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat(self) -> None:
        if not renew(self.worker_id):
            fence(self.worker_id)
        recover()

    def run(self) -> None:
        try:
            while not self.stopped.wait(lease_seconds() / 4):
                try:
                    self.beat()
                except Exception:
                    # A busy or unreachable database: try again next beat. The
                    # lease stays ours until someone else deletes it.
                    logger.exception("Task worker heartbeat failed; retrying.")
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.join()
