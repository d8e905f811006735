"""Search on PostgreSQL full-text search (see migration 0002 for the column).

A reader's query is reduced to its words (as on SQLite, so both databases
answer alike) and handed to ``websearch_to_tsquery``, which never raises on
its input. ``ts_headline`` is costly, so it runs only over the rows of the
requested page; like the indexed vector (see the migration), it reads the
body with angle brackets blanked, because PostgreSQL's parser drops text that
looks like an HTML tag.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from django.db import DatabaseError

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
        sql = f"""
            SELECT count(*) FROM {DOCUMENT_TABLE} AS doc
            WHERE doc.search_vector @@ websearch_to_tsquery('{CONFIG}', %s)
              AND doc.id NOT IN (
                  SELECT id FROM {DOCUMENT_TABLE} WHERE published_at > %s
              )
        """
        # Counted from the GIN index's bitmap, less the few documents not yet
        # due. For a word in more than a few percent of posts the planner
        # reads the whole table instead, un-TOASTing and testing every row's
        # vector, a cost its estimate does not know: "film" took 540 ms that
        # way on a 100,000-post site, 45 ms from the index. So the other
        # plans are off for this one query. A SET inside a transaction that
        # then fails is undone by its rollback.
        with self.connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
            try:
                cursor.execute(sql, [_words(text), self._datetime(now)])
                return cursor.fetchone()[0]
            finally:
                with contextlib.suppress(DatabaseError):
                    cursor.execute("RESET enable_seqscan; RESET enable_indexscan")

    def hits(
        self,
        text: str,
        now: datetime,
        offset: int,
        limit: int,
        *,
        newest_first: bool = False,
    ) -> list[Hit]:
        if not terms(text) or limit <= 0:
            return []
        # The page is chosen from ids and ranks alone, then its rows' bodies
        # are read for the headlines: carrying every match's body through
        # the sort cost more than ranking them.
        if newest_first:
            rank, order = "0", "doc.published_at DESC, doc.id DESC"
        else:
            rank = "ts_rank_cd(doc.search_vector, query)"
            order = "rank DESC, doc.published_at DESC, doc.id DESC"
        sql = f"""
            SELECT doc.post_id, ts_headline(
                '{CONFIG}', translate(doc.body, '<>', '  '), page.query, %s
            )
            FROM (
                SELECT doc.id, query, {rank} AS rank
                {_RANKED}
                ORDER BY {order}
                LIMIT %s OFFSET %s
            ) AS page
            JOIN {DOCUMENT_TABLE} AS doc ON doc.id = page.id
            ORDER BY {order.replace("rank", "page.rank")}
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
