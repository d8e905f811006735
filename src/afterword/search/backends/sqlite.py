"""Search on SQLite with FTS5 (see migration 0002 for the table and triggers)."""

from __future__ import annotations

from datetime import datetime

from ..query import MARK_END, MARK_START, fts5_query, fts5_snippet_query, highlight
from .base import DOCUMENT_TABLE, Hit, SearchBackend

FTS_TABLE = "search_searchdocument_fts"
# bm25 column weights, in the FTS table's column order: title, summary, body,
# terms. A word in the title counts ten times a word in the body.
WEIGHTS = "10.0, 3.0, 1.0, 3.0"
BODY_COLUMN = 2
SNIPPET_TOKENS = 32

# The page's snippets, worked out for its rows only: ``snippet()`` in the
# ranking query's own columns would run for every match before the sort.
_SNIPPET = f"""
    (SELECT snippet({FTS_TABLE}, {BODY_COLUMN}, %s, %s, '…', {SNIPPET_TOKENS})
     FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = page.id)
"""

_RANKED_PAGE = f"""
    WITH page AS (
        SELECT {FTS_TABLE}.rowid AS id, doc.post_id, doc.published_at,
               bm25({FTS_TABLE}, {WEIGHTS}) AS score
        FROM {FTS_TABLE} JOIN {DOCUMENT_TABLE} AS doc ON doc.id = {FTS_TABLE}.rowid
        WHERE {FTS_TABLE} MATCH %s AND doc.published_at <= %s
        ORDER BY score, doc.published_at DESC
        LIMIT %s OFFSET %s
    )
    SELECT page.post_id, {_SNIPPET}
    FROM page ORDER BY page.score, page.published_at DESC
"""

# Newest first: the documents are walked down their ``published_at`` index
# and each is looked up in the list of matches (the ``+`` keeps SQLite from
# driving the walk by that list instead, which sorts every match).
_NEWEST_PAGE = f"""
    WITH page AS (
        SELECT doc.id, doc.post_id, doc.published_at
        FROM {DOCUMENT_TABLE} AS doc
        WHERE doc.published_at <= %s
          AND +doc.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)
        ORDER BY doc.published_at DESC, doc.id DESC
        LIMIT %s OFFSET %s
    )
    SELECT page.post_id, {_SNIPPET}
    FROM page ORDER BY page.published_at DESC, page.id DESC
"""


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def count(self, text: str, now: datetime) -> int:
        match = fts5_query(text)
        if not match:
            return 0
        # Matches less the few documents not yet due, without looking up
        # every match's document (a common word matches every post).
        sql = f"""
            SELECT count(*) FROM {FTS_TABLE}
            WHERE {FTS_TABLE} MATCH %s AND rowid NOT IN (
                SELECT id FROM {DOCUMENT_TABLE} WHERE published_at > %s
            )
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, self._datetime(now)])
            return cursor.fetchone()[0]

    def hits(
        self,
        text: str,
        now: datetime,
        offset: int,
        limit: int,
        *,
        newest_first: bool = False,
    ) -> list[Hit]:
        match = fts5_query(text)
        if not match or limit <= 0:
            return []
        when = self._datetime(now)
        snippet = [MARK_START, MARK_END, fts5_snippet_query(text)]
        if newest_first:
            sql, params = _NEWEST_PAGE, [when, match, limit, offset, *snippet]
        else:
            sql, params = _RANKED_PAGE, [match, when, limit, offset, *snippet]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Hit(post_id, highlight(snippet or "")) for post_id, snippet in rows]

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
