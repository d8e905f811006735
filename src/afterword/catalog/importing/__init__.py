"""Catalog import and export: file -> typed records -> database, and back.

The pipeline reads in order: a format module (``json_format``,
``csv_format``) parses the file into :mod:`records` (dataclasses), and
:mod:`writer` stores them row by row and reports what it did. ``export``
reads the database into the same records and hands them to a format.
"""

from __future__ import annotations

from pathlib import Path

from . import csv_format, json_format
from .json_format import FileError
from .records import KINDS
from .writer import Report, write

__all__ = ["KINDS", "FileError", "Report", "import_text", "import_file"]


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".csv":
        return "csv"
    raise FileError(f"Cannot tell the format of {path.name}; use --format json or csv.")


def import_text(text: str, fmt: str, kind: str = "") -> Report:
    """Import a catalog file's text; raises FileError when unreadable as a whole."""
    if fmt == "json":
        parsed = json_format.parse(text)
    elif fmt == "csv":
        parsed = csv_format.parse(text, kind)
    else:
        raise FileError(f"Unknown format “{fmt}”; use json or csv.")
    return write(parsed, Report())


def import_file(path: Path, fmt: str = "", kind: str = "") -> Report:
    path = Path(path)
    fmt = fmt or guess_format(path)
    if fmt == "csv" and not kind:
        kind = path.stem.lower()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise FileError(f"Cannot read {path}: {error}.") from None
    return import_text(text, fmt, kind)
