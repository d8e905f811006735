"""Followers: how many people follow what, how that grew, and who they are.

Editors see the figures and a list with addresses partly hidden; those who
may change subscribers (administrators) see the addresses in full and can
download the list as CSV.
"""

from __future__ import annotations

import csv
import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from afterword.core.counting import CappedPaginator, capped_counts
from afterword.core.spreadsheets import neutralise
from afterword.desk.access import desk_view
from afterword.subscriptions import services
from afterword.subscriptions.models import Follow, Subscriber

PAGE_SIZE = 50
GROWTH_DAYS = 30
FULL_ADDRESSES = "subscriptions.change_subscriber"
STATES = {
    "active": Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
    "pending": Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True),
    "left": Q(unsubscribed_at__isnull=False),
}


def mask(address: str) -> str:
    """``mima@example.org`` as ``m•••@e•••.org``: enough to tell two apart."""
    local, _, domain = address.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not name:
        name, dot, tld = domain, "", ""
    return f"{local[:1]}•••@{name[:1]}•••{dot}{tld}"


def state_of(subscriber: Subscriber) -> str:
    if subscriber.unsubscribed_at:
        return "left"
    return "active" if subscriber.confirmed_at else "pending"


def growth(days: int = GROWTH_DAYS) -> list[dict]:
    """Newly confirmed followers per day for the last ``days`` days (one
    grouped query), with the days nobody came as zeros."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    per_day = dict(
        Subscriber.objects.filter(confirmed_at__gte=start)
        .annotate(day=TruncDate("confirmed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [per_day.get(first + datetime.timedelta(days=n), 0) for n in range(days)]
    top = max(counts) or 1
    return [
        {"day": first + datetime.timedelta(days=n), "count": c, "top": top}
        for n, c in enumerate(counts)
    ]


@desk_view("subscriptions.view_subscriber")
def followers(request):
    full = request.user.has_perm(FULL_ADDRESSES)
    # Each figure counts at most ``counting.CAP`` followers, in one query.
    subscribers = Subscriber.objects.all()
    totals = capped_counts(
        {
            "active": subscribers.filter(STATES["active"]),
            "pending": subscribers.filter(STATES["pending"]),
            "left": subscribers.filter(STATES["left"]),
            "immediate": subscribers.filter(STATES["active"], frequency="immediate"),
            "weekly": subscribers.filter(STATES["active"], frequency="weekly"),
        }
    )
    state = request.GET.get("state", "")
    query = request.GET.get("q", "").strip()[:254] if full else ""
    # A subquery, not a join grouped over every follower: the page's count
    # (``CappedPaginator``) then reads no follows at all.
    follows = (
        Follow.objects.filter(subscriber=OuterRef("pk"))
        .order_by()
        .values("subscriber")
        .annotate(n=Count("pk"))
        .values("n")
    )
    listed = Subscriber.objects.annotate(
        follow_count=Coalesce(Subquery(follows), 0)
    ).order_by("-created_at", "-pk")
    if state in STATES:
        listed = listed.filter(STATES[state])
    else:
        state = ""
    if query:
        listed = listed.filter(email__icontains=query)
    page = CappedPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "subscriber": subscriber,
            "address": subscriber.email if full else mask(subscriber.email),
            "state": state_of(subscriber),
        }
        for subscriber in page.object_list
    ]
    days = growth()
    return TemplateResponse(
        request,
        "desk/followers/followers.html",
        {
            "nav_current": "followers",
            "totals": totals,
            "targets": services.follower_counts(),
            "growth": days,
            "growth_total": sum(day["count"] for day in days),
            "rows": rows,
            "page": page,
            "state": state,
            "query": query,
            "full": full,
        },
    )


class Echo:
    """A file that hands back what is written: csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


@desk_view("subscriptions.view_subscriber")
def export_csv(request):
    """Every follower, with what they follow, as CSV (administrators)."""
    if not request.user.has_perm(FULL_ADDRESSES):
        raise PermissionDenied("Only administrators may download addresses.")
    writer = csv.writer(Echo())

    def lines():
        yield writer.writerow(
            ["email", "frequency", "state", "joined", "confirmed", "left", "follows"]
        )
        subscribers = Subscriber.objects.prefetch_related("follows").order_by("pk")
        for subscriber in subscribers.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    neutralise(subscriber.email),
                    subscriber.frequency,
                    state_of(subscriber),
                    subscriber.created_at.isoformat(),
                    subscriber.confirmed_at.isoformat()
                    if subscriber.confirmed_at
                    else "",
                    subscriber.unsubscribed_at.isoformat()
                    if subscriber.unsubscribed_at
                    else "",
                    " ".join(follow.target for follow in subscriber.follows.all()),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="followers.csv"'
    return response
