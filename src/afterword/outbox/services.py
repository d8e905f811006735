"""Queue email, and put failed email back in the queue. The API other apps use:

``queue_email(key, to, subject, text, html=None, headers=None, *,
unsubscribe_url=None, from_email=None) -> OutgoingEmail``
    Store an email and enqueue its delivery task, inside the caller's
    transaction. Idempotent on ``key``.

``retry(email_ids) -> int``
    Queue failed emails again (the admin's action).

Sending is the task worker's job (``tasks.send_email``, which runs
``delivery.deliver``); ``tasks.deliver_now`` sends one email at once.

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

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutgoingEmail
from .tasks import enqueue


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
    enqueue(email.pk)
    return email


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
        enqueue(email_id)
    return len(ids)
