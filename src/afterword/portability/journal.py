"""The static build's journal: which public rows changed, in order.

``core.changes`` sees every change to a public row (Django's signals, and
``changes.record`` for bulk writes). This app asks it for each one *inside*
the writing transaction (``changes.record_in_transaction``), so the entry is
committed or rolled back with the row: no crash between a commit and an
announcement can lose one.

Each entry carries a sequence number. A build reads the entries past the
number its last build stopped at (:func:`since`) and keeps the new highest
one. Entries are never deleted: a later change to the same row moves its
entry forward, so the table stays as small as the set of public rows.

Sequence numbers must never appear below a number a build has already read.
SQLite has one writer at a time, so ``max(seq) + 1`` inside the writing
statement is enough. PostgreSQL takes them from a sequence, and a build
reading the journal first waits for every transaction writing to it to end
(``SHARE`` mode conflicts with their ``ROW EXCLUSIVE`` lock): a number handed
out before the read is committed by the time it is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections, router, transaction

from afterword.core.changes import ChangeSet

from .models import JournalEntry

# The entry that means "assume everything changed" (a restore from backup).
EVERYTHING = ("*", "*")
# The PostgreSQL sequence numbering entries (made by migration 0002).
SEQUENCE = "portability_journal_seq"
# Rows per INSERT statement.
BATCH = 500


def note(changes: ChangeSet) -> None:
    """Journal every row in ``changes``; registered in ``PortabilityConfig``."""
    write(
        (model._meta.label_lower, str(pk))
        for model in changes.models()
        for pk in changes.pks(model)
    )


def note_everything() -> None:
    """Tell the next build that it cannot narrow anything down."""
    write([EVERYTHING])


def write(entries: Iterable[tuple[str, str]]) -> None:
    rows = sorted(set(entries))
    if not rows:
        return
    connection = connections[router.db_for_write(JournalEntry)]
    table = connection.ops.quote_name(JournalEntry._meta.db_table)
    if connection.vendor == "postgresql":
        number = f"nextval('{SEQUENCE}')"
    else:
        # Evaluated once per statement: the rows of one change share it.
        number = f"(SELECT coalesce(max(seq), 0) + 1 FROM {table})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = ", ".join(["(%s, %s)"] * len(batch))
            # "WHERE true" tells SQLite's parser the ON CONFLICT clause
            # belongs to the INSERT, not to a join in the SELECT.
            cursor.execute(
                f"INSERT INTO {table} (model, object_id, seq)"
                f" SELECT v.column1, v.column2, {number}"
                f" FROM (VALUES {values}) AS v WHERE true"
                " ON CONFLICT (model, object_id) DO UPDATE SET seq = excluded.seq",
                [value for row in batch for value in row],
            )


@dataclass
class Changed:
    """What changed after a build's mark, by model label, and the new mark."""

    mark: int
    rows: dict[str, set[str]] = field(default_factory=dict)

    @property
    def everything(self) -> bool:
        return EVERYTHING[0] in self.rows

    def labels(self) -> set[str]:
        return set(self.rows)

    def ids(self, label: str) -> set[str]:
        return self.rows.get(label, set())


def current_mark() -> int:
    """The highest sequence number so far (0 for an empty journal)."""
    return since(None).mark


def since(mark: int | None) -> Changed | None:
    """The entries after ``mark`` and the new mark; just the mark for None.

    ``None`` back when ``mark`` is past the journal's end: this is not the
    journal that build read (another database, or one restored since).
    """
    connection = connections[router.db_for_write(JournalEntry)]
    table = connection.ops.quote_name(JournalEntry._meta.db_table)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        cursor.execute(f"SELECT coalesce(max(seq), 0) FROM {table}")
        (top,) = cursor.fetchone()
        changed = Changed(mark=top)
        if mark is None:
            return changed
        if top < mark:
            return None
        cursor.execute(f"SELECT model, object_id FROM {table} WHERE seq > %s", [mark])
        for label, object_id in cursor.fetchall():
            changed.rows.setdefault(label, set()).add(object_id)
    return changed
