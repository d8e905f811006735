"""Typed records for catalog rows, and the conversion from plain dicts.

Both formats (JSON and CSV) read their file into plain dicts, one per row;
:func:`to_record` turns each into a dataclass with typed fields, or raises
:class:`RowError` with a message naming the bad field.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from afterword.core.numbers import ascii_number

# The kinds of rows, in the order they are written (later kinds refer to
# earlier ones by slug).
KINDS = ("organisations", "people", "works", "credits", "releases", "relations")


class RowError(ValueError):
    """A row that cannot be imported; the message says why."""


@dataclass
class OrganisationRecord:
    slug: str
    name: str
    kind: str = "studio"
    native_name: str = ""
    description: str = ""
    website: str = ""


@dataclass
class PersonRecord:
    slug: str
    name: str
    native_name: str = ""
    alternative_names: list[str] = field(default_factory=list)
    bio: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class WorkRecord:
    slug: str
    title: str
    kind: str = "film"
    year: int | None = None
    original_title: str = ""
    alternative_titles: list[str] = field(default_factory=list)
    runtime: int | None = None
    country: str = ""
    synopsis: str = ""
    parent: str = ""
    part_order: int = 0


@dataclass
class CreditRecord:
    work: str
    role: str
    person: str = ""
    organisation: str = ""
    character_name: str = ""
    applies_to_parts: bool = False


@dataclass
class ReleaseRecord:
    work: str
    format: str
    region: str = ""
    edition: str = ""
    distributor: str = ""
    year: int | None = None
    date: datetime.date | None = None
    aspect_ratio: str = ""
    audio_languages: str = ""
    subtitle_languages: str = ""
    in_print: bool = True
    notes: str = ""


@dataclass
class RelationRecord:
    source: str
    target: str
    kind: str
    note: str = ""


RECORD_TYPES: dict[str, type] = {
    "organisations": OrganisationRecord,
    "people": PersonRecord,
    "works": WorkRecord,
    "credits": CreditRecord,
    "releases": ReleaseRecord,
    "relations": RelationRecord,
}

# Fields that hold a slug of another row or of the row itself.
_SLUG_FIELDS = {
    "slug", "work", "role", "person", "organisation", "parent", "distributor",
    "source", "target",
}  # fmt: skip


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [line.strip() for line in _text(value).splitlines() if line.strip()]


def _int(name: str, value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    # ASCII digits only: int() would also read '١٩٩٥' or '1_995' as 1995.
    number = ascii_number(text.removeprefix("-"))
    if number is None:
        raise RowError(f"{name} must be a whole number, not “{text}”.")
    if text.startswith("-") and number:
        raise RowError(f"{name} cannot be negative.")
    return number


def _bool(name: str, value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return default
    if text in {"1", "true", "yes", "y"}:
        return True
    if text in {"0", "false", "no", "n"}:
        return False
    raise RowError(f"{name} must be yes or no, not “{text}”.")


def _date(name: str, value: Any) -> datetime.date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise RowError(
            f"{name} must be a date like 2004-06-15, not “{text}”."
        ) from None


def to_record(kind: str, row: dict[str, Any]):
    """Turn one plain row of ``kind`` into its record, or raise RowError."""
    if not isinstance(row, dict):
        raise RowError("A row must be an object with named fields.")
    record_type = RECORD_TYPES[kind]
    values: dict[str, Any] = {}
    known = {f.name: f for f in dataclasses.fields(record_type)}
    unknown = sorted(set(row) - set(known))
    if unknown:
        raise RowError("Unknown field(s): " + ", ".join(unknown) + ".")
    for name, spec in known.items():
        raw = row.get(name)
        if spec.type in ("list[str]",):
            values[name] = _lines(raw)
        elif spec.type in ("int | None", "int"):
            number = _int(name, raw)
            values[name] = number if number is not None or spec.type != "int" else 0
        elif spec.type == "bool":
            values[name] = _bool(name, raw, spec.default)
        elif spec.type == "datetime.date | None":
            values[name] = _date(name, raw)
        else:
            text = _text(raw)
            if name in _SLUG_FIELDS and text and slugify(text) != text:
                raise RowError(
                    f"{name} must be a slug (like “satoshi-kon”), not “{text}”."
                )
            if not text and isinstance(spec.default, str):
                text = spec.default
            values[name] = text
    for name, spec in known.items():
        required = (
            spec.default is dataclasses.MISSING
            and spec.default_factory is dataclasses.MISSING
        )
        if required and values[name] in ("", None):
            raise RowError(f"{name} is missing.")
    return record_type(**values)


def to_row(record) -> dict[str, Any]:
    """A record as a plain dict (the export format); dates as ISO text."""
    row = dataclasses.asdict(record)
    for name, value in row.items():
        if isinstance(value, datetime.date):
            row[name] = value.isoformat()
    return row
