"""Search on PostgreSQL full-text search (see migration 0002 for the column).

A reader's query is reduced to its words (as on SQLite, so both databases
answer alike) and handed to ``websearch_to_tsquery``, which never raises on
its input. ``ts_headline`` is costly, so it runs only over the rows of the
requested page; like the indexed vector (see the migration), it reads the
body with angle brackets blanked, because PostgreSQL's parser drops text that
looks like an HTML tag.
"""

from __future__ import annotations

from datetime import datetime

from ..query import MARK_END, MARK_START, highlight, terms
from .base import DOCUMENT_TABLE, Hit, SearchBackend

CONFIG = "english"
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)

_RANKED = f"""
    FROM {DOCUMENT_TABLE} AS doc,
         websearch_to_tsquery('{CONFIG}', %s) AS query
    WHERE doc.search_vector @@ query AND doc.published_at <= %s
"""


def _words(text: str) -> str:
    return " ".join(terms(text))


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def count(self, text: str, now: datetime) -> int:
        if not terms(text):
            return 0
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) {_RANKED}", [_words(text), self._datetime(now)]
            )
            return cursor.fetchone()[0]

    def hits(self, text: str, now: datetime, offset: int, limit: int) -> list[Hit]:
        if not terms(text) or limit <= 0:
            return []
        sql = f"""
            SELECT page.post_id, ts_headline(
                '{CONFIG}', translate(page.body, '<>', '  '), page.query, %s
            )
            FROM (
                SELECT doc.post_id, doc.body, doc.published_at, query,
                       ts_rank_cd(doc.search_vector, query) AS rank
                {_RANKED}
                ORDER BY rank DESC, doc.published_at DESC
                LIMIT %s OFFSET %s
            ) AS page
            ORDER BY page.rank DESC, page.published_at DESC
        """
        params = [
            HEADLINE_OPTIONS,
            _words(text),
            self._datetime(now),
            limit,
            offset,
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Hit(post_id, highlight(snippet or "")) for post_id, snippet in rows]

    def optimize(self) -> None:
        # Fresh statistics let the planner use the GIN index after a bulk load.
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DOCUMENT_TABLE}")
