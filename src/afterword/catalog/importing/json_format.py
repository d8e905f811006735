"""The JSON format: one object with a list of rows per kind.

```json
{"works": [{"slug": "memories-1995", "title": "Memories", ...}],
 "people": [...], "organisations": [...], "credits": [...],
 "releases": [...], "relations": [...]}
```

Row numbers in the report count from 1 within each list.
"""

from __future__ import annotations

import json
from typing import Any

from .records import KINDS, RowError, to_record, to_row


class FileError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


def parse(text: str) -> dict[str, list[tuple[int, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileError(f"The file is not valid JSON: {error}.") from None
    if not isinstance(data, dict):
        raise FileError("The file must hold one JSON object with lists per kind.")
    unknown = sorted(set(data) - set(KINDS) - {"format", "version"})
    if unknown:
        raise FileError(
            "Unknown section(s): "
            + ", ".join(unknown)
            + f". Known: {', '.join(KINDS)}."
        )
    parsed: dict[str, list[tuple[int, Any]]] = {}
    for kind in KINDS:
        rows = data.get(kind, [])
        if not isinstance(rows, list):
            raise FileError(f"“{kind}” must be a list of rows.")
        parsed[kind] = []
        for number, row in enumerate(rows, start=1):
            try:
                parsed[kind].append((number, to_record(kind, row)))
            except RowError as error:
                parsed[kind].append((number, error))
    return parsed


def dump(records: dict[str, list]) -> str:
    data = {"format": "afterword-catalog", "version": 1}
    data.update({kind: [to_row(r) for r in records[kind]] for kind in KINDS})
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
