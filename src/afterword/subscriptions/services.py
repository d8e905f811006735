"""Following and unfollowing: the views, the admin and tests call these.

Nothing here sends mail in the request: emails are queued in the outbox
(through ``emails.queue_for``) and delivered by the worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.language import in_site_language
from afterword.posts.seo import absolute_url

from . import targets, tokens
from .emails import queue_for
from .models import Follow, Subscriber
from .tasks import ensure_digest_scheduled

# A second request for the same address and target within this many seconds
# gets the same email (the outbox key repeats), so the form cannot be used to
# flood someone's inbox.
RESEND_WINDOW = 600


@dataclass(frozen=True)
class SubscribeResult:
    status: str  # "new", "resent" (pending again) or "already" (confirmed)
    target: targets.Target
    message: str


def normalise_email(address: str) -> str:
    address = (address or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            _("Please enter a valid email address, like name@example.org.")
        ) from None
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
@in_site_language
def subscribe(email: str, target_key: str) -> SubscribeResult:
    """Start following ``target_key``: store it unconfirmed and email a link.

    An address that already follows the target gets no second row: a
    pending one gets its confirmation again, a confirmed one a link to its
    preferences.
    """
    address = normalise_email(email)
    target = targets.resolve(target_key, public_only=True)
    if target is None:
        raise ValidationError(_("There is nothing to follow at this address any more."))
    subscriber = Subscriber.objects.filter(email__iexact=address).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=address)
        except IntegrityError:
            subscriber = Subscriber.objects.get(email__iexact=address)
    follow, created = Follow.objects.get_or_create(
        subscriber=subscriber, target=target.key
    )
    window = int(time.time()) // RESEND_WINDOW
    active = follow.confirmed_at and subscriber.unsubscribed_at is None
    if active:
        queue_for(
            subscriber,
            f"follow-already:{follow.pk}:{window}",
            _("You already follow %(name)s") % {"name": target.name},
            "subscriptions/email/already.txt",
            target=target,
        )
        return SubscribeResult(
            "already",
            target,
            _(
                "This address already follows %(label)s. We have emailed it a "
                "link to change or stop that."
            )
            % {"label": target.label},
        )
    queue_for(
        subscriber,
        f"follow-confirm:{follow.pk}:{window}",
        _("Please confirm: follow %(name)s") % {"name": target.name},
        "subscriptions/email/confirm.txt",
        target=target,
        confirm_url=absolute_url(
            reverse("subscriptions:confirm", args=[tokens.confirm_token(follow)])
        ),
        max_age_days=max(1, tokens.confirm_max_age() // 86400),
    )
    if created:
        message = _(
            "Almost done: we have sent a confirmation link to %(address)s. "
            "Open it to start following %(label)s."
        ) % {"address": address, "label": target.label}
        return SubscribeResult("new", target, message)
    return SubscribeResult(
        "resent",
        target,
        _(
            "This address already asked to follow %(label)s but has not "
            "confirmed yet; we re-sent the confirmation link."
        )
        % {"label": target.label},
    )


def subscriber_for_token(token: str) -> Subscriber:
    data = tokens.read_manage_token(token)
    subscriber = Subscriber.objects.filter(pk=data.get("s")).first()
    if subscriber is None or tokens.address_hash(subscriber.email) != data.get("h"):
        raise tokens.InvalidLink(
            _("This link no longer applies: the address is not subscribed any more.")
        )
    return subscriber


def follow_for_confirm_token(token: str) -> Follow:
    """The follow a confirmation link names, unchanged; raise InvalidLink.

    Opening the link only reads: mail scanners and link previews fetch every
    link in an email, so the confirmation itself waits for :func:`confirm`,
    which the page's button sends.
    """
    data = tokens.read_confirm_token(token)
    follow = (
        Follow.objects.select_related("subscriber").filter(pk=data.get("f")).first()
    )
    if (
        follow is None
        or follow.subscriber_id != data.get("s")
        or tokens.address_hash(follow.subscriber.email) != data.get("h")
    ):
        raise tokens.InvalidLink(
            _(
                "This confirmation link no longer applies (the subscription was "
                "stopped since). Nothing was changed."
            )
        )
    return follow


def is_active(follow: Follow) -> bool:
    """Whether emails for this follow are being sent now."""
    return bool(follow.confirmed_at and follow.subscriber.unsubscribed_at is None)


@transaction.atomic
def confirm(token: str) -> Follow:
    """Confirm the follow a link names; raise InvalidLink and change nothing."""
    follow = follow_for_confirm_token(token)
    now = timezone.now()
    if follow.confirmed_at is None:
        follow.confirmed_at = now
        follow.save(update_fields=["confirmed_at"])
    subscriber = follow.subscriber
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    if subscriber.frequency == Subscriber.Frequency.WEEKLY:
        ensure_digest_scheduled()
    return follow


@transaction.atomic
def update_preferences(
    subscriber: Subscriber, target_keys: set[str], frequency: str
) -> None:
    """Follow exactly ``target_keys`` at ``frequency``.

    The link to this page proves the address, so targets added here are
    confirmed at once.
    """
    valid = set(targets.describe(target_keys))
    now = timezone.now()
    subscriber.follows.exclude(target__in=valid).delete()
    for key in valid:
        # Keep the original confirmation time of follows that stay: a post
        # whose notifications are going out counts follows confirmed before it.
        follow, _created = Follow.objects.get_or_create(
            subscriber=subscriber, target=key, defaults={"confirmed_at": now}
        )
        if follow.confirmed_at is None:
            follow.confirmed_at = now
            follow.save(update_fields=["confirmed_at"])
    subscriber.frequency = frequency
    subscriber.unsubscribed_at = None if valid else now
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.save(update_fields=["frequency", "unsubscribed_at", "confirmed_at"])
    if valid and frequency == Subscriber.Frequency.WEEKLY:
        ensure_digest_scheduled()


@transaction.atomic
def unsubscribe(subscriber: Subscriber) -> None:
    """Stop every email to this address (follows are removed, nothing else)."""
    subscriber.follows.all().delete()
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["unsubscribed_at"])


def active_follows():
    return Follow.objects.filter(
        confirmed_at__isnull=False, subscriber__unsubscribed_at__isnull=True
    )


@dataclass(frozen=True)
class TargetCount:
    target: targets.Target
    confirmed: int
    pending: int


def follower_counts() -> list[TargetCount]:
    """Followers per target (confirmed, and still awaiting confirmation)."""
    rows = Follow.objects.values("target").annotate(
        confirmed=Count(
            "pk",
            filter=Q(
                confirmed_at__isnull=False, subscriber__unsubscribed_at__isnull=True
            ),
        ),
        pending=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )
    rows = {row["target"]: row for row in rows}
    described = targets.describe(rows)
    counts = [
        TargetCount(described[key], row["confirmed"], row["pending"])
        for key, row in rows.items()
        if key in described
    ]
    return sorted(counts, key=lambda c: (-c.confirmed, c.target.name.lower()))
