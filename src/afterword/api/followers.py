"""Followers by email: the counts (``view_subscriber``: editors) and the
list with addresses (``change_subscriber``: administrators), as the desk's
followers screen and its CSV download show them."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from ninja import Query, Router

from afterword.subscriptions import services
from afterword.subscriptions.models import Subscriber

from .auth import user
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset, paginate
from .responses import reading
from .schemas import FollowerCounts, FollowerPage

router = Router()
KEYSET = Keyset("followers", "created_at")
ACTIVE = Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
STATES = {
    "active": ACTIVE,
    "pending": Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True),
    "left": Q(unsubscribed_at__isnull=False),
}


def _require(request, permission: str, message: str) -> None:
    if not user(request).has_perm(permission):
        raise PermissionDenied(message)


@router.get("/counts", response=reading(FollowerCounts), summary="How many follow")
def follower_counts(request):
    _require(
        request,
        "subscriptions.view_subscriber",
        _("Your role does not show follower figures."),
    )
    totals = Subscriber.objects.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in STATES.items()},
        immediate=Count("pk", filter=ACTIVE & Q(frequency="immediate")),
        weekly=Count("pk", filter=ACTIVE & Q(frequency="weekly")),
    )
    targets = [
        {
            "target": count.target.key,
            "name": str(count.target.name),
            "confirmed": count.confirmed,
            "pending": count.pending,
        }
        for count in services.follower_counts()
    ]
    return {**totals, "targets": targets}


@router.get(
    "",
    response=reading(FollowerPage),
    summary="Export followers, newest first (administrators)",
)
def list_followers(
    request,
    state: str | None = Query(None, pattern="^(active|pending|left)$"),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    _require(
        request,
        "subscriptions.change_subscriber",
        _("Only administrators may read followers' addresses."),
    )
    subscribers = Subscriber.objects.prefetch_related("follows")
    if state:
        subscribers = subscribers.filter(STATES[state])
    return paginate(subscribers, KEYSET, cursor, limit)
