"""Search on SQLite with FTS5 (see migration 0002 for the table and triggers)."""

from __future__ import annotations

from datetime import datetime

from ..query import MARK_END, MARK_START, fts5_query, highlight
from .base import DOCUMENT_TABLE, Hit, SearchBackend

FTS_TABLE = "search_searchdocument_fts"
# bm25 column weights, in the FTS table's column order: title, summary, body,
# terms. A word in the title counts ten times a word in the body.
WEIGHTS = "10.0, 3.0, 1.0, 3.0"
BODY_COLUMN = 2
SNIPPET_TOKENS = 32

_FROM = f"""
    FROM {FTS_TABLE}
    JOIN {DOCUMENT_TABLE} AS doc ON doc.id = {FTS_TABLE}.rowid
    WHERE {FTS_TABLE} MATCH %s AND doc.published_at <= %s
"""


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def count(self, text: str, now: datetime) -> int:
        match = fts5_query(text)
        if not match:
            return 0
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {_FROM}", [match, self._datetime(now)])
            return cursor.fetchone()[0]

    def hits(self, text: str, now: datetime, offset: int, limit: int) -> list[Hit]:
        match = fts5_query(text)
        if not match or limit <= 0:
            return []
        sql = f"""
            SELECT doc.post_id,
                   snippet({FTS_TABLE}, {BODY_COLUMN}, %s, %s, '…', {SNIPPET_TOKENS})
            {_FROM}
            ORDER BY bm25({FTS_TABLE}, {WEIGHTS}), doc.published_at DESC
            LIMIT %s OFFSET %s
        """
        params = [MARK_START, MARK_END, match, self._datetime(now), limit, offset]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Hit(post_id, highlight(snippet or "")) for post_id, snippet in rows]

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
