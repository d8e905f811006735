"""Deliveries are retried until a 2xx, then never posted again, whatever the
task workers do (a task run twice, a worker killed mid-delivery)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from afterword.taskworker import leases
from afterword.taskworker.models import WorkerLease
from afterword.webhooks import delivery, tasks
from afterword.webhooks.actions import SendTestPing
from afterword.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)


def run_until_settled(run_tasks, rounds: int = 8) -> None:
    """Run the worker until nothing is waiting (each retry is a new task)."""
    for _ in range(rounds):
        run_tasks()
        if not WebhookDelivery.objects.filter(state="pending").exists():
            return


def test_a_receiver_failing_twice_gets_the_event_retried_and_delivered_once(
    make_webhook, receiver, run_tasks
):
    receiver.statuses = [500, 500]
    hook = make_webhook()
    SendTestPing(hook).run()

    run_until_settled(run_tasks)
    run_tasks()

    ping = WebhookDelivery.objects.get()
    assert (ping.state, ping.attempts, ping.last_status) == ("delivered", 3, 200)
    assert len(receiver.requests) == 3
    # Every attempt is the same event, with the same body.
    assert {r.headers["Afterword-Delivery"] for r in receiver.requests} == {
        ping.event_id
    }
    assert len({r.body for r in receiver.requests}) == 1
    assert receiver.payloads()[0]["event"] == "ping"


def test_a_failed_attempt_waits_for_its_retry_time(make_webhook, receiver, settings):
    settings.AFTERWORD_WEBHOOK_RETRY_DELAYS = [3600]
    receiver.statuses = [503]
    ping = SendTestPing(make_webhook()).run()

    assert tasks.deliver_now(ping.pk) is False
    ping.refresh_from_db()
    assert (ping.state, ping.last_status) == ("pending", 503)
    assert "503" in ping.last_error
    assert ping.next_attempt_at > timezone.now() + timedelta(minutes=59)
    # Not due yet: the task run again early posts nothing.
    assert tasks.deliver_now(ping.pk) is False
    assert len(receiver.requests) == 1


def test_delivery_gives_up_after_the_last_retry(make_webhook, receiver, run_tasks):
    receiver.statuses = [500] * 10
    ping = SendTestPing(make_webhook()).run()

    run_until_settled(run_tasks)

    ping.refresh_from_db()
    assert (ping.state, ping.attempts, ping.last_status) == ("failed", 6, 500)
    assert len(receiver.requests) == 6
    assert delivery.DEFAULT_RETRY_DELAYS == (60, 300, 1800, 7200, 43200)


def test_a_delivered_event_is_never_posted_again(make_webhook, receiver, run_tasks):
    ping = SendTestPing(make_webhook()).run()
    run_tasks()

    tasks.enqueue(ping.pk)  # a task run twice
    run_tasks()
    assert tasks.deliver_now(ping.pk) is False

    assert len(receiver.requests) == 1


def test_an_address_the_site_may_not_reach_is_refused_and_retried(
    make_webhook, receiver, settings
):
    ping = SendTestPing(make_webhook()).run()
    settings.AFTERWORD_OUTBOUND_ALLOW = []

    assert tasks.deliver_now(ping.pk) is False

    ping.refresh_from_db()
    assert ping.state == "pending"
    assert "not on the public internet" in ping.last_error
    assert receiver.requests == []


def test_a_webhook_switched_off_is_sent_nothing(make_webhook, receiver, run_tasks):
    hook = make_webhook()
    ping = SendTestPing(hook).run()
    hook.active = False
    hook.save()

    run_tasks()

    ping.refresh_from_db()
    assert ping.state == "failed"
    assert receiver.requests == []


def test_a_worker_dying_mid_delivery_leads_to_one_delivery(
    make_webhook, receiver, run_tasks
):
    """The state a SIGKILL leaves (task RUNNING, delivery ``sending``, both
    under the dead worker's name) is made with the real claims, as
    tests/durability/test_leases.py does for email."""
    ping = SendTestPing(make_webhook()).run()
    leases.register("killed-worker")
    WorkerLease.objects.filter(worker_id="killed-worker").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    DBTaskResult.objects.ready().get().claim("killed-worker")
    leases.set_current_worker("killed-worker")
    try:
        assert delivery.claim(ping.pk)
    finally:
        leases.set_current_worker("")
    ping.refresh_from_db()
    assert (ping.state, ping.claimed_by) == ("sending", "killed-worker")
    # While it is claimed nobody else posts it.
    assert tasks.deliver_now(ping.pk) is False

    first = leases.recover()
    second = leases.recover()  # another worker, a moment later
    assert first.lost_workers == ["killed-worker"]
    assert second.lost_workers == []
    ping.refresh_from_db()
    assert ping.state == "pending"

    run_tasks()
    run_tasks()
    leases.recover()
    run_tasks()

    assert len(receiver.requests) == 1
    ping.refresh_from_db()
    assert (ping.state, ping.attempts) == ("delivered", 2)
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
