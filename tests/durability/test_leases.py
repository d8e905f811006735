"""Task worker leases: the tasks (and emails) of a dead worker run again once.

The state a SIGKILL leaves behind is made here the way it really arises: the
library's own ``DBTaskResult.claim`` marks a queued task RUNNING for a worker
id, and the outbox's own claim marks the email ``sending`` for it; the worker
then simply never comes back. tests/durability/test_crash.py does the same
with real processes and SIGKILL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from afterword.outbox import delivery, services
from afterword.outbox.models import OutgoingEmail
from afterword.taskworker import leases
from afterword.taskworker.models import WorkerLease

pytestmark = pytest.mark.django_db(transaction=True)


def claimed_by_a_worker(worker_id: str, *, lease_left: float) -> OutgoingEmail:
    """Queue an email and let ``worker_id`` claim its task and the email."""
    email = services.queue_email(
        "notice:1", to="reader@example.test", subject="Hi", text="Plain words."
    )
    leases.register(worker_id)
    WorkerLease.objects.filter(worker_id=worker_id).update(
        expires_at=timezone.now() + timedelta(seconds=lease_left)
    )
    DBTaskResult.objects.ready().get().claim(worker_id)
    leases.set_current_worker(worker_id)
    try:
        assert delivery.claim(email.pk)
    finally:
        leases.set_current_worker("")
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENDING
    assert email.claimed_by == worker_id
    return email


def test_a_dead_workers_task_and_email_are_taken_up_again_exactly_once(
    smtp_server, run_tasks
):
    email = claimed_by_a_worker("killed-worker", lease_left=-1)

    first = leases.recover()
    second = leases.recover()  # another worker, a moment later

    assert first.lost_workers == ["killed-worker"]
    assert len(first.requeued_tasks) == 1
    assert second.lost_workers == second.requeued_tasks == []
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert not WorkerLease.objects.filter(worker_id="killed-worker").exists()

    run_tasks()

    [message] = smtp_server.messages
    assert message["Message-ID"] == delivery.message_id_for("notice:1")
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    task = DBTaskResult.objects.get(pk=first.requeued_tasks[0])
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "killed-worker"
    assert len(task.worker_ids) == 2  # claimed once more, by the new worker


def test_a_live_workers_task_is_left_alone():
    email = claimed_by_a_worker("busy-worker", lease_left=60)

    recovery = leases.recover()

    assert recovery.lost_workers == recovery.requeued_tasks == []
    assert DBTaskResult.objects.running().count() == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENDING
    assert leases.renew("busy-worker") is True


def test_a_lease_renewed_in_time_keeps_its_tasks():
    claimed_by_a_worker("slow-worker", lease_left=-1)
    assert leases.renew("slow-worker") is True  # just before anyone recovered

    assert leases.recover().requeued_tasks == []
    assert DBTaskResult.objects.running().count() == 1


def test_a_worker_whose_lease_was_taken_cannot_renew_it():
    claimed_by_a_worker("paused-worker", lease_left=-1)
    leases.recover()

    assert leases.renew("paused-worker") is False  # its heartbeat stops it


def test_a_task_claimed_without_a_lease_is_recovered_after_one_lease(settings):
    """A worker that holds no lease at all (one that stopped, or from before
    leases) is taken as gone once its task is older than a lease."""
    settings.AFTERWORD_TASK_LEASE = 30
    claimed_by_a_worker("old-worker", lease_left=60)
    WorkerLease.objects.all().delete()

    assert leases.recover().requeued_tasks == []  # claimed just now
    later = timezone.now() + timedelta(seconds=31)
    recovery = leases.recover(now=later)

    assert len(recovery.requeued_tasks) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING


def test_a_stopping_worker_gives_back_what_it_still_holds(smtp_server, run_tasks):
    claimed_by_a_worker("stopping-worker", lease_left=60)

    released = leases.release("stopping-worker")

    assert len(released.requeued_tasks) == 1
    assert not WorkerLease.objects.exists()
    run_tasks()
    assert len(smtp_server.messages) == 1


def test_the_worker_command_holds_a_lease_only_while_it_runs(run_tasks):
    services.queue_email("notice:2", to="a@example.test", subject="S", text="T")

    run_tasks()

    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    [worker_id] = task.worker_ids
    assert not WorkerLease.objects.filter(worker_id=worker_id).exists()
    assert leases.current_worker_id() == ""
    assert OutgoingEmail.objects.get().claimed_by == worker_id
