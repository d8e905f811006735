"""Cursor pagination: keyset over (a sort column, id), opaque signed cursors.

A page is ``{"items": [...], "next": "<cursor>" | null}``. The cursor names
the last row sent (its sort value and id), signed so a client can neither
forge one nor carry one from one list to another; the next page starts
strictly after it, so rows added meanwhile never repeat or shift a page.
Each page is one query for its rows (plus the list's constant prefetches),
whatever ``limit`` is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .errors import ApiError

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Keyset:
    """How a list is ordered: ``field`` then ``id``, newest or first first."""

    name: str
    field: str
    descending: bool = True

    @property
    def salt(self) -> str:
        return f"afterword.api.cursor.{self.name}"

    def order(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{self.field}", f"{sign}id"]

    def encode(self, row) -> str:
        value = getattr(row, self.field)
        if isinstance(value, datetime.datetime):
            payload = ["t", value.isoformat(), row.pk]
        else:
            payload = ["v", value, row.pk]
        return signing.dumps(payload, salt=self.salt, compress=True)

    def after(self, cursor: str) -> Q:
        try:
            kind, value, pk = signing.loads(cursor, salt=self.salt)
            if kind == "t":
                value = datetime.datetime.fromisoformat(value)
            pk = int(pk)
        except (signing.BadSignature, ValueError, TypeError):
            raise ApiError(
                422,
                _("This cursor is not one this list gave out."),
                fields={"cursor": _("Use the “next” value of the previous page.")},
            ) from None
        beyond = "lt" if self.descending else "gt"
        return Q(**{f"{self.field}__{beyond}": value}) | Q(
            **{self.field: value, f"id__{beyond}": pk}
        )


def paginate(queryset: QuerySet, keyset: Keyset, cursor: str | None, limit: int):
    """One page of ``queryset`` after ``cursor``: ``{"items", "next"}``."""
    queryset = queryset.order_by(*keyset.order())
    if cursor:
        queryset = queryset.filter(keyset.after(cursor))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next": keyset.encode(rows[-1]) if more else None}
