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

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

from .base import DOCUMENT_TABLE, Hit, SearchBackend

__all__ = ["DOCUMENT_TABLE", "Hit", "SearchBackend", "get_backend"]


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
