"""Counts that stop at a cap, for the desk's and the admin's lists.

A writer's screens show "Approved (1,204)" and "Page 3 of 25", but on a site
with a million comments an exact ``COUNT(*)`` reads a million index entries on
every load. Past a few thousand the exact figure helps nobody, so these
count at most ``CAP`` rows (``SELECT COUNT(*) FROM (... LIMIT CAP + 1)``),
whose cost is bounded whatever the size of the table, and say "10,000+"
beyond it. Search and filters narrow a list below the cap, where its pages
and counts are exact again.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property

# The most rows a list's count reads; also the most a list pages through.
CAP = 10_000


class CappedCount(int):
    """An ``int`` that knows whether it stopped at the cap; prints "10,000+"."""

    capped: bool

    def __new__(cls, value: int, cap: int) -> CappedCount:
        count = super().__new__(cls, min(value, cap))
        count.capped = value > cap
        return count

    def __str__(self) -> str:
        text = number_format(int(self), force_grouping=True)
        return f"{text}+" if self.capped else text


def _capped_sql(queryset: QuerySet, cap: int) -> tuple[str, tuple]:
    rows = queryset.order_by().values("pk")[: cap + 1]
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        # A filter nothing can match (``pk__in=[]``, ``none()``).
        return "SELECT 0", ()
    return f"SELECT COUNT(*) FROM ({sql}) capped", tuple(params)


def capped_counts(
    querysets: dict[str, QuerySet], cap: int | None = None
) -> dict[str, CappedCount]:
    """Each queryset's row count up to ``cap`` (``CAP``), all in one query."""
    cap = CAP if cap is None else cap
    if not querysets:
        return {}
    parts = [_capped_sql(queryset, cap) for queryset in querysets.values()]
    sql = "SELECT " + ", ".join(
        f"({part}) AS c{index}" for index, (part, _params) in enumerate(parts)
    )
    params = tuple(param for _part, part_params in parts for param in part_params)
    database = next(iter(querysets.values())).db
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {
        name: CappedCount(value, cap)
        for name, value in zip(querysets, row, strict=True)
    }


class CappedPaginator(Paginator):
    """A ``Paginator`` whose count reads at most ``CAP`` + 1 rows: the first
    ``CAP`` rows are paged as usual, and the count says "10,000+" past them."""

    @cached_property
    def count(self) -> CappedCount:
        if not isinstance(self.object_list, QuerySet):
            return CappedCount(len(self.object_list), CAP)
        return capped_counts({"rows": self.object_list})["rows"]
