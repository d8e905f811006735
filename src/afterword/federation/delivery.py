"""Sending activities: one row per inbox, claimed, signed, posted, recorded.

Rows are made by ``queueing.queue``. :func:`deliver` follows the webhooks'
discipline: a conditional UPDATE claims the row (``pending`` → ``sending``,
naming the worker), so two workers never post it twice and a delivered row
is never claimed again; a worker killed while posting has its claims
released (``release_claims``).
At most ``AFTERWORD_FEDERATION_PER_SERVER`` deliveries to one server are in
flight at once; a row over that bound waits a moment. Failures back off
exponentially over about a week; a 4xx other than 408 and 429 is final.
Each attempt is signed afresh (the Date must be current). Receivers drop a
repeat by the activity's id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from afterword.core import outbound
from afterword.taskworker.claimed_writes import write_until_it_lands
from afterword.taskworker.leases import current_worker_id

from . import actors, signatures
from .models import Delivery, Instance

logger = logging.getLogger(__name__)

# Before the 2nd, 3rd... attempt: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h,
# 1 day, 2 days, 3 days: the last attempt is about a week after the first.
DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 21600, 43200, 86400, 172800, 259200)
TIMEOUT = 15.0
MAX_ANSWER_BYTES = 64 * 1024
# How long to wait when a server already has its share of deliveries in flight.
BUSY_WAIT = 2

RetryLater = Callable[[int, datetime], None]


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"The inbox answered {status} {reason}".rstrip() + ".")
        self.status = status

    @property
    def final(self) -> bool:
        return 400 <= self.status < 500 and self.status not in (408, 429)


class Busy(Exception):
    """The server has its share of deliveries in flight; try shortly."""


def retry_delays() -> list[int]:
    # An empty setting (the environment variable unset) means the defaults.
    return list(
        getattr(settings, "AFTERWORD_FEDERATION_RETRY_DELAYS", None)
        or DEFAULT_RETRY_DELAYS
    )


def per_server() -> int:
    return int(getattr(settings, "AFTERWORD_FEDERATION_PER_SERVER", 4))


def dead_after() -> timedelta:
    return timedelta(
        seconds=int(getattr(settings, "AFTERWORD_FEDERATION_DEAD_AFTER", 7 * 86400))
    )


def dead_domains(domains: Iterable[str]) -> set[str]:
    limit = timezone.now() - dead_after()
    return set(
        Instance.objects.filter(
            domain__in=set(domains), failing_since__lt=limit
        ).values_list("domain", flat=True)
    )


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(
        delivery.payload, ensure_ascii=False, separators=(",", ":")
    ).encode()


def claim(delivery_id: int) -> bool:
    now = timezone.now()
    row = (
        Delivery.objects.filter(pk=delivery_id)
        .values("domain", "state", "next_attempt_at")
        .first()
    )
    if row is None or row["state"] != Delivery.State.PENDING:
        return False
    in_flight = Delivery.objects.filter(
        domain=row["domain"], state=Delivery.State.SENDING
    ).count()
    if in_flight >= per_server():
        raise Busy
    return (
        Delivery.objects.filter(
            pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now
        ).update(
            state=Delivery.State.SENDING,
            claimed_at=now,
            claimed_by=current_worker_id(),
            attempts=F("attempts") + 1,
        )
        == 1
    )


def post(delivery: Delivery) -> int:
    body = body_of(delivery)
    signer = delivery.signer
    headers = signatures.sign(
        "POST",
        delivery.inbox,
        key_id=actors.key_id(signer),
        private_key_pem=signer.private_key_pem,
        body=body,
    )
    answer = outbound.post(
        delivery.inbox,
        purpose="federation",
        body=body,
        headers=headers,
        timeout=TIMEOUT,
        max_bytes=MAX_ANSWER_BYTES,
        follow_redirects=False,
        open_web=True,
    )
    if not answer.ok:
        raise Refused(answer.status, answer.reason)
    return answer.status


def deliver(delivery_id: int, retry_later: RetryLater) -> bool:
    """Post one delivery if it is still pending and due; True if this call did."""
    try:
        if not write_until_it_lands(claim, delivery_id):
            return False
    except Busy:
        retry_later(delivery_id, timezone.now() + timedelta(seconds=BUSY_WAIT))
        return False
    try:
        delivery = Delivery.objects.select_related("signer", "signer__user").get(
            pk=delivery_id
        )
        if delivery.domain in dead_domains([delivery.domain]):
            write_until_it_lands(_record_final, delivery_id, "The server is dead.")
            return False
        status = post(delivery)
    except Exception as error:
        write_until_it_lands(record_failure, delivery_id, error, retry_later)
        return False
    write_until_it_lands(_record_delivered, delivery_id, delivery.domain, status)
    return True


def _record_delivered(delivery_id: int, domain: str, status: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery_id).update(
            state=Delivery.State.DELIVERED,
            delivered_at=now,
            last_status=status,
            last_error="",
        )
        updated = Instance.objects.filter(domain=domain).update(
            failing_since=None, last_success_at=now
        )
        if not updated:
            Instance.objects.get_or_create(
                domain=domain, defaults={"last_success_at": now}
            )


def _record_final(delivery_id: int, description: str, status=None) -> None:
    Delivery.objects.filter(pk=delivery_id).update(
        state=Delivery.State.FAILED, last_status=status, last_error=description[:2000]
    )


def _mark_failing(domain: str) -> None:
    instance, _ = Instance.objects.get_or_create(domain=domain)
    if instance.failing_since is None:
        Instance.objects.filter(pk=instance.pk, failing_since=None).update(
            failing_since=timezone.now()
        )


def record_failure(delivery_id: int, error: Exception, retry_later: RetryLater) -> None:
    delays = retry_delays()
    description = (
        str(error)
        if isinstance(error, (Refused, outbound.OutboundError))
        else f"{type(error).__name__}: {error}"
    )
    status = error.status if isinstance(error, Refused) else None
    with transaction.atomic():
        row = (
            Delivery.objects.filter(pk=delivery_id).values("attempts", "domain").first()
        )
        if row is None:
            return
        if isinstance(error, Refused) and error.final:
            # The server is up and said no: trying again would get the same.
            _record_final(delivery_id, description, status)
            return
        _mark_failing(row["domain"])
        attempt = row["attempts"] or 1
        if attempt > len(delays):
            logger.warning(
                "Giving up on delivery %s after %s attempts: %s",
                delivery_id,
                attempt,
                description,
            )
            _record_final(delivery_id, description, status)
            return
        when = timezone.now() + timedelta(seconds=delays[attempt - 1])
        Delivery.objects.filter(pk=delivery_id).update(
            state=Delivery.State.PENDING,
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
    stuck = Q(state=Delivery.State.SENDING, claimed_by__in=workers)
    ids = list(Delivery.objects.filter(stuck).values_list("pk", flat=True))
    released = [
        pk
        for pk in ids
        if Delivery.objects.filter(stuck, pk=pk).update(
            state=Delivery.State.PENDING, next_attempt_at=timezone.now()
        )
    ]
    if released:
        logger.warning(
            "%s fediverse deliveries were being posted by a worker that died; "
            "queued again.",
            len(released),
        )
    return released
