"""Posting one delivery: claim, post, record. Used by ``webhooks.tasks``.

Every attempt ends in one recorded state, whatever goes wrong:

* ``delivered``: the receiver answered with a 2xx status;
* back to ``pending`` with the next retry time, the status and the error,
  when it did not (another status, a refused address, a timeout, a database
  error before the request); ``retry_later`` schedules the next try;
* ``failed``, once the retry delays are used up (six attempts by default,
  over about fifteen hours), or when the webhook was switched off.

A delivery is claimed with a conditional UPDATE (``pending`` → ``sending``,
naming the task worker), so two workers, or a task run twice, never post
it twice, and a delivered row is never claimed again. If the worker dies
while the row is ``sending``, ``release_claims`` (called when the task
workers notice, see ``afterword.taskworker``) puts it back. The one window
left is between the receiver's answer and the ``delivered`` update: a worker
killed exactly there posts again after recovery, with the same
``Afterword-Delivery`` id, which receivers use to drop the repeat.

This module never imports the tasks module: the task that runs it decides
how to try again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from afterword.core import outbound
from afterword.taskworker.claimed_writes import write_until_it_lands
from afterword.taskworker.leases import current_worker_id

from . import signing
from .models import WebhookDelivery

logger = logging.getLogger(__name__)

# Before the 2nd, 3rd... attempt: 1 min, 5 min, 30 min, 2 h, 12 h.
DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 43200)
TIMEOUT = 10.0
# The answer's body is not used; a receiver has no reason to send much.
MAX_ANSWER_BYTES = 256 * 1024

RetryLater = Callable[[int, datetime], None]


class Refused(Exception):
    """The receiver answered, but not with a 2xx status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"The receiver answered {status} {reason}".rstrip() + ".")
        self.status = status


def retry_delays() -> list[int]:
    """Seconds to wait before each retry; one more attempt than delays."""
    return list(
        getattr(settings, "AFTERWORD_WEBHOOK_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)
    )


def body_of(delivery: WebhookDelivery) -> bytes:
    """The bytes posted, the same on every attempt."""
    return json.dumps(
        delivery.payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def headers_for(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "Afterword-Event": delivery.event,
        "Afterword-Delivery": delivery.event_id,
        signing.HEADER: signing.sign(delivery.webhook.secret, body),
    }


def claim(delivery_id: int) -> bool:
    """Take the row for this worker; only one claimer can win the UPDATE."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
    ).update(
        state=WebhookDelivery.State.SENDING,
        claimed_at=now,
        claimed_by=current_worker_id(),
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def post(delivery: WebhookDelivery) -> int:
    """Post the delivery once; its status if 2xx, ``Refused`` otherwise."""
    body = body_of(delivery)
    answer = outbound.post(
        delivery.webhook.url,
        purpose="webhooks",
        body=body,
        headers=headers_for(delivery, body),
        timeout=TIMEOUT,
        max_bytes=MAX_ANSWER_BYTES,
        # A redirect would turn the POST into a GET: a 3xx is a failure.
        follow_redirects=False,
    )
    if not answer.ok:
        raise Refused(answer.status, answer.reason)
    return answer.status


def deliver(delivery_id: int, retry_later: RetryLater) -> bool:
    """Post one delivery if it is still pending and due; True if this call did."""
    if not write_until_it_lands(claim, delivery_id):
        return False
    try:
        delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
        if not delivery.webhook.active:
            write_until_it_lands(_record_switched_off, delivery_id)
            return False
        status = post(delivery)
    except Exception as error:
        write_until_it_lands(record_failure, delivery_id, error, retry_later)
        return False
    write_until_it_lands(_record_delivered, delivery_id, status)
    return True


def _record_delivered(delivery_id: int, status: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        state=WebhookDelivery.State.DELIVERED,
        delivered_at=timezone.now(),
        last_status=status,
        last_error="",
    )


def _record_switched_off(delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        state=WebhookDelivery.State.FAILED,
        last_error="The webhook was switched off before this was sent.",
    )


def record_failure(delivery_id: int, error: Exception, retry_later: RetryLater) -> None:
    """Back to pending with the next retry time, or failed after the last one."""
    delays = retry_delays()
    description = (
        str(error)
        if isinstance(error, (Refused, outbound.OutboundError))
        else (f"{type(error).__name__}: {error}")
    )
    status = error.status if isinstance(error, Refused) else None
    with transaction.atomic():
        attempt = (
            WebhookDelivery.objects.filter(pk=delivery_id)
            .values_list("attempts", flat=True)
            .first()
        ) or 1  # already counts the attempt that failed
        if attempt > len(delays):
            logger.error(
                "Giving up on webhook delivery %s after %s attempts: %s",
                delivery_id,
                attempt,
                description,
            )
            WebhookDelivery.objects.filter(pk=delivery_id).update(
                state=WebhookDelivery.State.FAILED,
                last_status=status,
                last_error=description[:2000],
            )
            return
        when = timezone.now() + timedelta(seconds=delays[attempt - 1])
        logger.warning(
            "Webhook delivery %s failed (attempt %s: %s), retrying at %s",
            delivery_id,
            attempt,
            description,
            when,
        )
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            state=WebhookDelivery.State.PENDING,
            next_attempt_at=when,
            last_status=status,
            last_error=description[:2000],
        )
        retry_later(delivery_id, when)


def release_claims(worker_ids: Iterable[str]) -> list[int]:
    """Put back to pending what these (dead) workers were posting; their ids."""
    workers = [worker for worker in worker_ids if worker]
    if not workers:
        return []
    stuck = list(
        WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.SENDING, claimed_by__in=workers
        ).values_list("pk", flat=True)
    )
    released = []
    for delivery_id in stuck:
        if WebhookDelivery.objects.filter(
            pk=delivery_id, state=WebhookDelivery.State.SENDING, claimed_by__in=workers
        ).update(state=WebhookDelivery.State.PENDING, next_attempt_at=timezone.now()):
            released.append(delivery_id)
    if released:
        logger.warning(
            "Webhook deliveries %s were being posted by a worker that died; "
            "queued again.",
            released,
        )
    return released
