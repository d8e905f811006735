"""Queue and deliver email. The public API other apps use:

``queue_email(key, to, subject, text, html=None, headers=None, *,
unsubscribe_url=None, from_email=None) -> OutgoingEmail``
    Store an email and enqueue its delivery task, inside the caller's
    transaction. Idempotent on ``key``.

``deliver(email_id) -> bool``
    Claim one pending email and send it now (what the task runs). Returns
    True when this call sent it.

``deliver_pending(limit=100) -> int``
    Send every pending email whose time has come; a safety net the task
    ``deliver_pending_emails`` runs, for rows whose task was lost.

Example::

    from afterword.outbox.services import queue_email

    queue_email(
        f"comment-reply:{comment.pk}:{parent.email}",
        to=parent.email,
        subject="Someone replied to you",
        text=body,
        unsubscribe_url=absolute_unsubscribe_link,
    )
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)


def retry_delays() -> list[int]:
    """Seconds to wait before each retry; one more attempt than delays."""
    return list(
        getattr(settings, "AFTERWORD_OUTBOX_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)
    )


def queue_email(
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    *,
    unsubscribe_url: str | None = None,
    from_email: str | None = None,
) -> OutgoingEmail:
    """Store an email under ``key`` and enqueue its delivery; never sends here.

    Calling it again with the same key returns the stored email unchanged and
    enqueues nothing. ``unsubscribe_url`` (absolute, accepting POST) adds the
    ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers of RFC 8058 so
    mail clients can offer one-click unsubscribe.
    """
    headers = dict(headers or {})
    if unsubscribe_url:
        headers.setdefault("List-Unsubscribe", f"<{unsubscribe_url}>")
        headers.setdefault("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    # Header injection: a newline in a subject taken from user input would
    # let it add headers; Django refuses those, we flatten them first.
    subject = " ".join(subject.split())[:255]
    existing = OutgoingEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key,
                to=to,
                subject=subject,
                text=text,
                html=html or "",
                headers=headers,
                from_email=from_email or "",
            )
    except IntegrityError:
        # Another request queued the same key between our check and insert.
        return OutgoingEmail.objects.get(key=key)
    _enqueue(email.pk)
    return email


def _enqueue(email_id: int, run_after=None) -> None:
    from .tasks import send_email

    task = send_email.using(run_after=run_after) if run_after else send_email
    task.enqueue(email_id)


def _claim(email_id: int) -> bool:
    """Take the row for this worker; only one claimer can win the UPDATE."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=OutgoingEmail.Status.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def _message(email: OutgoingEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=email.headers,
        connection=connection,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def deliver(email_id: int, connection=None) -> bool:
    """Send one email if it is still pending and due; True if this call sent it."""
    if not _claim(email_id):
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        _message(email, connection or get_connection()).send()
    except (smtplib.SMTPException, OSError) as error:
        _failed(email, error)
        return False
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _failed(email: OutgoingEmail, error: Exception) -> None:
    delays = retry_delays()
    attempt = email.attempts  # already counts the attempt that failed
    description = f"{type(error).__name__}: {error}"[:2000]
    if attempt > len(delays):
        logger.error(
            "Giving up on email %s after %s attempts: %s", email.pk, attempt, error
        )
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.FAILED, last_error=description
        )
        return
    when = timezone.now() + timedelta(seconds=delays[attempt - 1])
    logger.warning(
        "Email %s failed (attempt %s), retrying at %s", email.pk, attempt, when
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.PENDING,
        next_attempt_at=when,
        last_error=description,
    )
    _enqueue(email.pk, run_after=when)


def deliver_pending(limit: int = 100) -> int:
    """Send up to ``limit`` due pending emails over one connection; return how many."""
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    connection = get_connection()
    sent = 0
    for email_id in due:
        sent += deliver(email_id, connection=connection)
    return sent


def retry(email_ids) -> int:
    """Put failed emails back in the queue now (an admin action)."""
    now = timezone.now()
    ids = list(
        OutgoingEmail.objects.filter(
            pk__in=email_ids, status=OutgoingEmail.Status.FAILED
        ).values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.PENDING, next_attempt_at=now, attempts=0
    )
    for email_id in ids:
        _enqueue(email_id)
    return len(ids)
