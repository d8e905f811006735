"""What every importer shares: neutral records, errors and the closing report.

An importer is a *reader* that turns one source format into the typed records
below; :mod:`afterword.portability.importing` then writes those records into
the site, whatever format they came from. A reader must be able to run twice
over its source: once to validate everything (nothing is written if the file
is broken) and once to write.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO


class ImportFileError(Exception):
    """The file cannot be imported; the message says why, in plain words."""


@dataclass
class AuthorRecord:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class TermRecord:
    taxonomy: str  # "category" or "tag"
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class CommentRecord:
    source_id: str
    parent_id: str
    author: str
    email: str
    url: str
    ip: str
    date: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    type: str  # "comment", "pingback", "trackback"
    user_login: str = ""
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class ItemRecord:
    """One post, page or attachment."""

    source_id: str
    post_type: str
    title: str
    link: str
    slug: str
    status: str
    author_login: str
    date: datetime | None
    content: str
    excerpt: str
    sticky: bool = False
    comment_status: str = "open"
    # WordPress's ``post_password``: the post is password protected.
    password: str = ""
    parent_id: str = ""
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[CommentRecord] = field(default_factory=list)


@dataclass
class SiteRecord:
    """What the file says about the site it came from."""

    title: str
    base_url: str
    version: str
    sticky_ids: frozenset[str] = frozenset()
    item_count: int = 0
    attachments: dict[str, ItemRecord] = field(default_factory=dict)


Record = AuthorRecord | TermRecord | ItemRecord


class Reader:
    """Base class of importers' readers: one per source format."""

    #: Short name used in reports and as part of the natural keys.
    format_name = ""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read_site(self) -> SiteRecord:
        """Validate the whole source and describe the site; raise ImportFileError."""
        raise ImportFileError(f"{type(self).__name__} cannot read {self.path}.")

    def records(self) -> Iterator[Record]:
        """Yield the records in file order (after ``read_site`` succeeded)."""
        yield from ()


@dataclass
class Report:
    """Counts per kind and every warning, printed at the end of an import."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    shortcodes: Counter = field(default_factory=Counter)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.skipped))
        out = ["Kind          created  updated  skipped"]
        for kind in kinds:
            out.append(
                f"{kind:<12} {self.created[kind]:>8} {self.updated[kind]:>8}"
                f" {self.skipped[kind]:>8}"
            )
        if self.shortcodes:
            listed = ", ".join(
                f"[{name}] x{count}" for name, count in sorted(self.shortcodes.items())
            )
            out.append(f"Shortcodes kept as text: {listed}")
        out.append(f"Warnings: {len(self.warnings)}")
        out.extend(f"  - {warning}" for warning in self.warnings)
        return out


class Progress:
    """A progress bar on a terminal, plain occasional lines anywhere else."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.done = 0
        self._last_percent = -1

    def step(self, label: str = "") -> None:
        self.done += 1
        percent = self.done * 100 // self.total
        if percent == self._last_percent:
            return
        self._last_percent = percent
        if self.tty:
            filled = percent * 30 // 100
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r[{bar}] {percent:3d}% {self.done}/{self.total}")
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif percent % 10 == 0:
            self.stream.write(f"{percent}% ({self.done}/{self.total}) {label}\n")
