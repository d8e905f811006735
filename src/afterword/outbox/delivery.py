"""Sending one queued email: claim, send, record. Used by ``outbox.tasks``.

Every attempt ends in one of three recorded states, whatever goes wrong:

* ``sent``: the SMTP server answered 250 to the end of the message;
* back to ``pending`` with the next retry time and the error, when anything
  failed before that answer (an SMTP refusal, a dropped connection, but also
  a header Django refuses to build or a database error after the claim);
  the caller passes ``retry_later``, which schedules the next try inside the
  same transaction;
* ``failed`` with the error, once the retry delays are used up.

An email is claimed with a conditional UPDATE (``pending`` → ``sending``,
naming the task worker), so two workers never send the same row. If the
worker dies while the row is ``sending``, ``release_claims`` (called when the
task workers notice, see ``afterword.taskworker``) puts it back. The one
window left is between the server's 250 and the ``sent`` update: a worker
killed exactly there sends that email again after recovery, with the same
Message-ID, so mail clients show it once.

This module never imports the tasks module: the task that runs it decides
how to try again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from afterword.taskworker.claimed_writes import write_until_it_lands
from afterword.taskworker.leases import current_worker_id

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)

RetryLater = Callable[[int, datetime], None]


def retry_delays() -> list[int]:
    """Seconds to wait before each retry; one more attempt than delays."""
    return list(
        getattr(settings, "AFTERWORD_OUTBOX_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)
    )


def message_id_for(key: str) -> str:
    """A Message-ID fixed by the idempotency key, the same on every attempt.

    Hashed (keys may hold addresses and colons) with the site's secret mixed
    in, so two sites on one host never share an id.
    """
    seed = f"{settings.SECRET_KEY}:{key}".encode()
    digest = hashlib.sha256(seed).hexdigest()[:32]
    host = urlsplit(getattr(settings, "SITE_URL", "")).hostname or "localhost"
    return f"<{digest}.outbox@{host}>"


def claim(email_id: int) -> bool:
    """Take the row for this worker; only one claimer can win the UPDATE."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=OutgoingEmail.Status.SENDING,
        claimed_at=now,
        claimed_by=current_worker_id(),
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def build_message(email: OutgoingEmail, connection) -> EmailMultiAlternatives:
    headers = {"Message-ID": message_id_for(email.key), **email.headers}
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=headers,
        connection=connection,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    # Build it now: a header or address Django refuses fails here, before a
    # byte goes to the server.
    message.message()
    return message


def send(message: EmailMultiAlternatives, connection) -> None:
    """Hand one message to the server; returns only once it was accepted.

    The connection is opened here and closed separately, so that an error
    while saying goodbye cannot turn an accepted message into a "failure"
    that would be retried (and sent twice).
    """
    opened = connection.open()
    try:
        accepted = connection.send_messages([message])
    finally:
        if opened:
            try:
                connection.close()
            except Exception:
                logger.warning("Closing the mail connection failed", exc_info=True)
    if not accepted:
        raise RuntimeError("The mail backend accepted no recipient.")


def deliver(email_id: int, retry_later: RetryLater, connection=None) -> bool:
    """Send one email if it is still pending and due; True if this call sent it."""
    if not write_until_it_lands(claim, email_id):
        return False
    try:
        email = OutgoingEmail.objects.get(pk=email_id)
        connection = connection or get_connection()
        send(build_message(email, connection), connection)
    except Exception as error:
        write_until_it_lands(record_failure, email_id, error, retry_later)
        return False
    write_until_it_lands(_record_sent, email_id)
    return True


def _record_sent(email_id: int) -> None:
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def record_failure(email_id: int, error: Exception, retry_later: RetryLater) -> None:
    """Back to pending with the next retry time, or failed after the last one."""
    delays = retry_delays()
    description = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        attempt = (
            OutgoingEmail.objects.filter(pk=email_id)
            .values_list("attempts", flat=True)
            .first()
        ) or 1  # already counts the attempt that failed
        if attempt > len(delays):
            logger.error(
                "Giving up on email %s after %s attempts: %s",
                email_id,
                attempt,
                description,
            )
            OutgoingEmail.objects.filter(pk=email_id).update(
                status=OutgoingEmail.Status.FAILED, last_error=description
            )
            return
        when = timezone.now() + timedelta(seconds=delays[attempt - 1])
        logger.warning(
            "Email %s failed (attempt %s: %s), retrying at %s",
            email_id,
            attempt,
            description,
            when,
        )
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=OutgoingEmail.Status.PENDING,
            next_attempt_at=when,
            last_error=description,
        )
        retry_later(email_id, when)


def due(limit: int) -> list[int]:
    """Ids of pending emails whose time has come, oldest first."""
    return list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def release_claims(worker_ids: Iterable[str]) -> list[int]:
    """Put back to pending what these (dead) workers were sending; their ids."""
    workers = [worker for worker in worker_ids if worker]
    if not workers:
        return []
    stuck = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENDING, claimed_by__in=workers
        ).values_list("pk", flat=True)
    )
    released = []
    for email_id in stuck:
        if OutgoingEmail.objects.filter(
            pk=email_id, status=OutgoingEmail.Status.SENDING, claimed_by__in=workers
        ).update(status=OutgoingEmail.Status.PENDING, next_attempt_at=timezone.now()):
            released.append(email_id)
    if released:
        logger.warning(
            "Emails %s were being sent by a worker that died; queued again.",
            released,
        )
    return released
