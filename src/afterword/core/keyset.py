"""Numbered pages that cost the same at page 1 and page 5,000.

Django's ``Paginator`` asks for ``COUNT(*)`` and then reads page N with
``LIMIT n OFFSET (N - 1) * n``: the database walks past every row before the
page, so the last page of a 10,000-post tag reads 10,000 rows, and the count
reads them all again on every page.

:class:`KeysetPaginator` keeps the same numbered addresses (``/page/500/``
shows the posts it showed before) but reads each page by its *boundary*: the
ordering values of the page's first row. All the boundaries of a listing, and
its total, come from one query reading only the ordering's columns (an
index-only scan where an index covers them), keeping every n-th row; a page
is then ``WHERE (ordering) <= boundary ORDER BY ...
LIMIT n``, which an index on the ordering answers by reading ``n`` rows.

The boundaries change only when content does, so callers name the listing
(``key``) and the content memo (``core.memo``) keeps them once per content
version; without one (the tests, or a site with the
fragment cache off) they are read on every request, still in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import BooleanField, CharField, F, Func, Model, Q, QuerySet, Value
from django.utils.functional import SimpleLazyObject, cached_property

from . import memo


def ordering_of(queryset: QuerySet) -> list[tuple[str, bool]]:
    """``(field path, descending)`` for each term of the queryset's ordering."""
    return parse_ordering(queryset.query.order_by or queryset.model._meta.ordering)


def parse_ordering(terms: Sequence) -> list[tuple[str, bool]]:
    """``(field path, descending)`` for each of ``order_by()``'s terms."""
    ordering = []
    for term in terms:
        if not isinstance(term, str):
            raise TypeError("A keyset listing is ordered by field names.")
        descending = term.startswith("-")
        name = term.lstrip("-")
        ordering.append(("id" if name == "pk" else name, descending))
    return ordering


def _field(model: type[Model], path: str):
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def _python(field, value):
    """A raw database value as the ORM would give it (SQLite returns dates as
    text and booleans as integers)."""
    value = field.to_python(value)
    if isinstance(value, datetime) and value.tzinfo is None and settings.USE_TZ:
        value = value.replace(tzinfo=UTC)
    return value


class _Row(Func):
    """A row value: ``(a, b, c)``."""

    template = "(%(expressions)s)"
    arg_joiner = ", "


def after_boundary(
    ordering: Sequence[tuple[str, bool]], values: Sequence, model: type[Model]
) -> Q | Func:
    """Rows at or after ``values`` in ``ordering``.

    When every field runs the same way this is one row-value comparison,
    ``(sticky, published_at, id) <= (%s, %s, %s)``, which SQLite and
    PostgreSQL both answer by seeking into an index on those columns: the
    scan starts at the boundary, whatever the page number. A mixed ordering
    is written out (``a < x OR (a = x AND b >= y)``), led by a plain range on
    the first field.
    """
    directions = {descending for _, descending in ordering}
    if len(directions) == 1:
        fields = [_field(model, name) for name, _ in ordering]
        return Func(
            _Row(*(F(name) for name, _ in ordering)),
            _Row(
                *(
                    Value(value, output_field=field)
                    for field, value in zip(fields, values, strict=True)
                )
            ),
            template="%(expressions)s",
            arg_joiner=" <= " if directions == {True} else " >= ",
            output_field=BooleanField(),
        )
    name, descending = ordering[0]
    condition = Q(**{f"{name}__{'lte' if descending else 'gte'}": values[0]})
    either = Q()
    equal = Q()
    for index, (name, descending) in enumerate(ordering):
        last = index == len(ordering) - 1
        lookup = ("lte" if last else "lt") if descending else ("gte" if last else "gt")
        either |= equal & Q(**{f"{name}__{lookup}": values[index]})
        equal &= Q(**{name: values[index]})
    return condition & either


def boundaries(queryset: QuerySet, per_page: int) -> tuple[list[tuple], int]:
    """The ordering values of each page's first row, and the number of rows,
    in one query.

    The query reads only the ordering's columns, in order (an index-only scan
    where an index covers them), and the rows are counted off here, keeping
    every ``per_page``-th without building a Python value for the others:
    on SQLite this is several times faster than numbering the rows with
    ``ROW_NUMBER()`` in the database, and as fast on PostgreSQL.
    """
    ordering = ordering_of(queryset)
    names = [name for name, _ in ordering]
    selected = names
    if connections[queryset.db].vendor == "sqlite":
        # Read as text: SQLite's driver would otherwise parse every row's
        # date (a declared ``datetime`` column) in Python, which costs more
        # than the scan; only the boundaries are converted (``_python``).
        queryset = queryset.annotate(
            **{
                f"keyset_{index}": Func(
                    F(name),
                    template="(%(expressions)s || '')",
                    output_field=CharField(),
                )
                for index, name in enumerate(names)
            }
        )
        selected = [f"keyset_{index}" for index in range(len(names))]
    columns = queryset.values_list(*selected).order_by(
        *(f"-{name}" if descending else name for name, descending in ordering)
    )
    sql, params = columns.query.get_compiler(using=columns.db).as_sql()
    fields = [_field(queryset.model, name) for name in names]
    found = []
    total = 0
    with connections[columns.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            # The first row of each page is at an offset that is a multiple
            # of ``per_page`` from the listing's start.
            skip = -total % per_page
            found += [
                tuple(
                    _python(field, value)
                    for field, value in zip(fields, row, strict=True)
                )
                for row in rows[skip::per_page]
            ]
            total += len(rows)
    return found, total


class Deferred:
    """A listing's queryset, built only when its rows are read.

    A page whose cards' fragment is kept, and whose boundaries are kept,
    never reads its listing; building the query (filters, joins, the live
    rule) was still a fifth of such a page's time. ``ordering`` states the
    order ``build()`` gives, so that the boundaries' key and the pages can be
    named without building it (checked when it is built).
    """

    def __init__(self, build: Callable[[], QuerySet], ordering: Sequence[str]):
        self.build = build
        self.ordering = parse_ordering(ordering)

    @cached_property
    def queryset(self) -> QuerySet:
        queryset = self.build()
        if ordering_of(queryset) != self.ordering:
            raise ValueError(
                f"The listing is ordered by {ordering_of(queryset)}, "
                f"not the declared {self.ordering}."
            )
        return queryset


class KeysetPaginator(Paginator):
    """A ``Paginator`` whose pages are read from their boundaries.

    ``key`` names the listing (its filter: ``"tag:12"``); the boundaries are
    kept under it, with the page size and ordering, for the content version.
    The queryset must be ordered by fields whose values end in a unique one
    (``-published_at, -id``), so that a boundary names one row. Given a
    :class:`Deferred` listing, the queryset is built only if the boundaries
    or a page's rows are read; a page's rows are read when first used.
    """

    def __init__(
        self,
        object_list: QuerySet | Deferred,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        *,
        key: str | None = None,
    ) -> None:
        if orphans:
            raise ValueError("A keyset listing's pages have no orphans.")
        super().__init__(object_list, per_page, 0, allow_empty_first_page)
        self.deferred = isinstance(object_list, Deferred)
        self.ordering = (
            object_list.ordering if self.deferred else ordering_of(object_list)
        )
        self.key = key

    def queryset(self) -> QuerySet:
        """The listing, built now if it was handed over :class:`Deferred`."""
        return self.object_list.queryset if self.deferred else self.object_list

    @cached_property
    def _boundaries(self) -> tuple[list[tuple], int]:
        def build():
            return boundaries(self.queryset(), self.per_page)

        if self.key is None:
            return build()
        terms = ",".join(f"{'-' if d else ''}{n}" for n, d in self.ordering)
        return memo.remember(f"keyset:{self.key}:{self.per_page}:{terms}", build)

    @cached_property
    def count(self) -> int:
        return self._boundaries[1]

    def page(self, number) -> Page:
        number = self.validate_number(number)
        found = self._boundaries[0]
        boundary = found[number - 1] if found else None
        return self._get_page(
            SimpleLazyObject(lambda: self._rows(boundary)), number, self
        )

    def _rows(self, boundary: tuple | None) -> QuerySet:
        queryset = self.queryset()
        if boundary is None:
            return queryset.none()
        rows = queryset.filter(after_boundary(self.ordering, boundary, queryset.model))
        # The boundary goes first in the WHERE clause: of two ranges on the
        # same indexed column, SQLite seeks with the first it reads, and a
        # listing's own ``published_at <= now`` made the last page of a
        # 10,000-post tag walk the whole index down to it (35 ms, not 1 ms).
        where = rows.query.where
        where.children.insert(0, where.children.pop())
        return rows[: self.per_page]


def page_when_used(read_page: Callable[[], Page], asked: int) -> tuple[Page, int]:
    """A listing's page, read when a template first uses it, and its number.

    A page whose fragment is kept never uses its listing, and on a large
    site building the listing's query is most of such a page's time (1 ms
    of a work page's 4). The number keys the fragment: page 1 is page 1
    whatever the listing holds; any other may be past the end, where the
    last page is shown, so it is checked against the listing's boundaries
    (kept per content version).
    """
    page = SimpleLazyObject(read_page)
    return page, (1 if asked == 1 else page.number)
