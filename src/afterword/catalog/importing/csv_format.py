"""The CSV format: one file per kind, a header row naming the fields.

The kind comes from the file name (``works.csv``, ``people.csv``...) or is
given explicitly. Lists (alternative titles, links) go one per line inside
a quoted cell. Row numbers in the report are the line on which the row starts, the
header being line 1.

Text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``...) are written with an apostrophe in front, which the
import takes off again (``afterword.core.spreadsheets``): opening an export is
safe, and importing it back gives the same values.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

from afterword.core.spreadsheets import neutralise, restore

from .json_format import FileError
from .records import KINDS, RECORD_TYPES, RowError, to_record, to_row


def parse(text: str, kind: str) -> dict[str, list[tuple[int, Any]]]:
    if kind not in KINDS:
        raise FileError(f"Unknown kind “{kind}”; use one of {', '.join(KINDS)}.")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise FileError("The CSV file has no header row.")
    rows = []
    last_line = reader.line_num
    try:
        for row in reader:
            # A quoted cell may span lines: report the row's first line.
            number, last_line = last_line + 1, reader.line_num
            if None in row:
                rows.append(
                    (number, RowError("The row has more cells than the header."))
                )
                continue
            cells = {k: restore(v) for k, v in row.items() if k}
            if not any((v or "").strip() for v in cells.values()):
                continue
            try:
                rows.append((number, to_record(kind, cells)))
            except RowError as error:
                rows.append((number, error))
    except csv.Error as error:
        raise FileError(f"The CSV file cannot be read: {error}.") from None
    return {kind: rows}


def dump(kind: str, records: list) -> str:
    names = [f.name for f in dataclasses.fields(RECORD_TYPES[kind])]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = to_row(record)
        writer.writerow(
            {
                k: neutralise("\n".join(v) if isinstance(v, list) else v)
                for k, v in row.items()
            }
        )
    return out.getvalue()
