"""One search interface, one implementation per database.

``get_backend()`` looks at the default connection when it is called (never at
import time) and returns the backend for SQLite (FTS5) or PostgreSQL (full-text
search). Both answer the same two questions about a reader's query: how many
live documents match, and which ones are on a given page, best first, each
with a highlighted snippet. Writing the index is shared: it is the
``SearchDocument`` model, and each database's migration keeps its full-text
structures in step with that table.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.safestring import SafeString

DOCUMENT_TABLE = "search_searchdocument"


@dataclass(frozen=True)
class Hit:
    """One matching post: its id and a snippet whose matches are in ``<mark>``."""

    post_id: int
    snippet: SafeString


class SearchBackend(ABC):
    """What a database-specific search implementation provides."""

    vendor = ""

    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        self.using = using

    @property
    def connection(self):
        return connections[self.using]

    @abstractmethod
    def count(self, text: str, now: datetime) -> int:
        """How many documents live at ``now`` match the reader's ``text``."""

    @abstractmethod
    def hits(self, text: str, now: datetime, offset: int, limit: int) -> list[Hit]:
        """One page of matches, best first, ties broken by newest first."""

    @abstractmethod
    def optimize(self) -> None:
        """Tidy the index after a full rebuild."""

    def _datetime(self, value: datetime):
        return self.connection.ops.adapt_datetimefield_value(value)


def get_backend(using: str = DEFAULT_DB_ALIAS) -> SearchBackend:
    """The backend for the database behind ``using``."""
    vendor = connections[using].vendor
    if vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend(using)
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(using)
    raise ImproperlyConfigured(
        f"Search supports SQLite and PostgreSQL; this database is {vendor!r}."
    )
