"""Queue an event for the webhooks that listen to it. The API of the app:

``queue(occurrence) -> list[WebhookDelivery]``
    One delivery per active webhook listening to the event, stored in the
    caller's transaction with its delivery task enqueued. Queueing the same
    occurrence again (same id) adds nothing: a delivery is unique per
    webhook and event id.

``queue_to(webhook, occurrence) -> WebhookDelivery | None``
    The same for one webhook (the test ping).

``told_public(post_id) -> bool``
    Whether the last word webhooks had about this post said it was public
    (``post.published`` or ``post.updated``, not since ``post.deleted``).

Posting is the task worker's job (``tasks.deliver_webhook``, which runs
``delivery.deliver``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .events import Occurrence
from .models import Event, Webhook, WebhookDelivery
from .tasks import enqueue


def listeners(event: str) -> list[Webhook]:
    return [hook for hook in Webhook.objects.filter(active=True) if hook.hears(event)]


def queue(occurrence: Occurrence | None) -> list[WebhookDelivery]:
    if occurrence is None:
        return []
    queued = [queue_to(hook, occurrence) for hook in listeners(occurrence.event)]
    return [delivery for delivery in queued if delivery is not None]


def queue_to(hook: Webhook, occurrence: Occurrence) -> WebhookDelivery | None:
    """One delivery of ``occurrence`` to ``hook``; None if it was queued before."""
    if WebhookDelivery.objects.filter(webhook=hook, event_id=occurrence.id).exists():
        return None
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                webhook=hook,
                event=occurrence.event,
                event_id=occurrence.id,
                subject=occurrence.subject,
                payload=occurrence.payload(),
                created_at=occurrence.created_at,
                next_attempt_at=occurrence.created_at,
            )
    except IntegrityError:
        return None  # queued by someone else in the meantime
    enqueue(delivery.pk)
    return delivery


POST_EVENTS = (Event.POST_PUBLISHED, Event.POST_UPDATED, Event.POST_DELETED)


def told_public(post_id: int) -> bool:
    last = (
        WebhookDelivery.objects.filter(subject=f"post:{post_id}", event__in=POST_EVENTS)
        .order_by("-created_at", "-id")
        .values_list("event", flat=True)
        .first()
    )
    return last in (Event.POST_PUBLISHED, Event.POST_UPDATED)
