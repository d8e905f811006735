"""What every search backend provides; the databases' modules subclass it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

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
    def count(self, text: str, now: datetime, at_most: int) -> int:
        """How many documents live at ``now`` match the reader's ``text``,
        counted up to ``at_most + 1``: past that a query is broad, and only
        its newest ``at_most`` are listed (``SearchResults``)."""

    @abstractmethod
    def hits(
        self,
        text: str,
        now: datetime,
        offset: int,
        limit: int,
        *,
        newest_first: bool = False,
        at_most: int = 0,
    ) -> list[Hit]:
        """One page of matches, best first, ties broken by newest first; or
        with ``newest_first``, by date alone: the query matched more than
        ``at_most`` (``SearchResults.newest_first``)."""

    @abstractmethod
    def optimize(self) -> None:
        """Tidy the index after a full rebuild."""

    def _datetime(self, value: datetime):
        return self.connection.ops.adapt_datetimefield_value(value)
