"""Search on PostgreSQL full-text search (see migration 0002 for the column).

A reader's query is reduced to its words (as on SQLite, so both databases
answer alike) and handed to ``websearch_to_tsquery``, which never raises on
its input. Snippets are written by ``snippets`` from the bodies of the
requested page's rows.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime

from django.db import DatabaseError

from ..query import terms
from ..snippets import snippet
from .base import DOCUMENT_TABLE, Hit, SearchBackend

CONFIG = "english"

# A query the planner expects to match this many times the ranked limit is
# broad without being counted. Counting even the first few thousand matches
# of a word in every post reads each one's vector from TOAST: 20-36 ms on a
# 100,000-post site, against 0.3 ms for the estimate, which the statistics
# of a word that common make close (96,888 expected, 96,856 found). Below
# it, matches are counted.
BROAD_BY_ESTIMATE = 10

_MATCHING = f"""
    FROM {DOCUMENT_TABLE} AS doc
    WHERE doc.search_vector @@ websearch_to_tsquery('{CONFIG}', %s)
      AND doc.published_at <= %s
"""

_RANKED = f"""
    FROM {DOCUMENT_TABLE} AS doc,
         websearch_to_tsquery('{CONFIG}', %s) AS query
    WHERE doc.search_vector @@ query AND doc.published_at <= %s
"""


def _words(text: str) -> str:
    return " ".join(terms(text))


@contextlib.contextmanager
def _from_the_index(cursor):
    """Matches found from the GIN index's bitmap, for the queries inside.

    Otherwise, for a word in more than a few percent of posts or in a small
    table, the planner reads the whole table, un-TOASTing and testing every
    row's vector, a cost its estimate does not know: counting "film" took
    540 ms that way on a 100,000-post site, 45 ms from the index, and
    ranking a rare word on 2,000 posts 14 ms, against 1 ms. A SET inside a
    transaction that then fails is undone by its rollback.
    """
    cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError):
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def count(self, text: str, now: datetime, at_most: int) -> int:
        if not terms(text):
            return 0
        words, due = _words(text), self._datetime(now)
        if self._estimate(words, due) > BROAD_BY_ESTIMATE * at_most:
            return at_most + 1
        sql = f"""
            SELECT count(*) FROM (
                SELECT 1 {_MATCHING} LIMIT %s
            ) AS found
        """
        with self.connection.cursor() as cursor, _from_the_index(cursor):
            cursor.execute(sql, [words, due, at_most + 1])
            return cursor.fetchone()[0]

    def _estimate(self, words: str, due) -> float:
        """How many documents the planner expects to match, from the
        column's statistics of its most common words (0.3 ms)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {_MATCHING}", [words, due])
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return plan[0]["Plan"]["Plan Rows"]

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
        if not terms(text) or limit <= 0:
            return []
        # The page is chosen from ids and ranks alone, then its rows' bodies
        # are read for the snippets: carrying every match's body through the
        # sort cost more than ranking them.
        if newest_first:
            rank, order = "0", "doc.published_at DESC, doc.id DESC"
        else:
            rank = "ts_rank_cd(doc.search_vector, query)"
            order = "rank DESC, doc.published_at DESC, doc.id DESC"
        sql = f"""
            SELECT doc.post_id, doc.body
            FROM (
                SELECT doc.id, {rank} AS rank
                {_RANKED}
                ORDER BY {order}
                LIMIT %s OFFSET %s
            ) AS page
            JOIN {DOCUMENT_TABLE} AS doc ON doc.id = page.id
            ORDER BY {order.replace("rank", "page.rank")}
        """
        params = [
            _words(text),
            self._datetime(now),
            limit,
            offset,
        ]
        with self.connection.cursor() as cursor:
            if newest_first:
                # Down the dates' index, each post's vector tested in turn:
                # a broad query's first matches are its newest.
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            else:
                with _from_the_index(cursor):
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
        return [Hit(post_id, snippet(body, text)) for post_id, body in rows]

    def optimize(self) -> None:
        # A bulk load leaves its entries in the GIN index's pending list,
        # which every search reads through until a vacuum merges it: a rare
        # word on 2,000 fresh documents took 38 ms, 11 ms once merged.
        # Fresh statistics let the planner use the index and its estimate.
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT gin_clean_pending_list('{DOCUMENT_TABLE}_vector_idx')"
            )
            cursor.execute(f"ANALYZE {DOCUMENT_TABLE}")
