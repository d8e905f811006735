"""Queueing an activity: one delivery row per inbox, and its task.

:func:`queue` stores one ``Delivery`` per inbox (unique per activity id and
inbox, so queueing twice sends once) and enqueues their tasks once the
rows are committed. Followers on a server with a shared inbox share one
delivery (the caller gives that inbox once). Servers that are blocked, or
dead (every delivery failing for ``AFTERWORD_FEDERATION_DEAD_AFTER``
seconds, a week), are skipped. Posting is ``delivery.deliver``'s job, run
by ``tasks.deliver_activity``; this module is the only one that uses both.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from . import blocking
from .delivery import dead_domains
from .models import Delivery, LocalActor
from .remote import host_of
from .tasks import enqueue_all


def queue(activity: dict, signer: LocalActor, inboxes: Iterable[str]) -> list[int]:
    """Store one delivery per inbox and enqueue them; the new rows' ids."""
    wanted = {inbox for inbox in inboxes if inbox}
    if not wanted:
        return []
    domains = {inbox: host_of(inbox) for inbox in wanted}
    skipped = dead_domains(domains.values()) | blocking.blocked_domains(
        domains.values()
    )
    ident = activity["id"]
    rows = [
        Delivery(
            activity_id=ident,
            inbox=inbox,
            domain=domains[inbox],
            signer=signer,
            payload=activity,
        )
        for inbox in sorted(wanted)
        if domains[inbox] not in skipped
    ]
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        created = list(
            Delivery.objects.filter(
                activity_id=ident,
                inbox__in=[row.inbox for row in rows],
                state=Delivery.State.PENDING,
                attempts=0,
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: enqueue_all(created))
    return created
