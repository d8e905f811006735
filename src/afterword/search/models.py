"""The search index: one plain-text document per published or scheduled post.

The table is an ordinary Django model so that the ORM writes it, cascades
deletes into it and empties it between tests. Each database adds its own
full-text machinery on top in the migrations: an FTS5 table kept in step by
triggers on SQLite, a weighted ``tsvector`` generated column with a GIN index
on PostgreSQL. The text stored here never contains spoilers: it comes from the
Markdown pipeline's ``plain_text``.
"""

import math
from datetime import datetime

from django.db import models

from afterword.posts.models import Post

# Post ids take the low 28 bits of a document's recency, seconds the rest:
# 63 bits hold any second from the year 881 to 3059.
POST_BITS = 28
SECONDS_LIMIT = 2 ** (63 - POST_BITS)


def recency_of(published_at: datetime, post_id: int) -> int:
    """One integer that sorts documents as ``published_at, post id`` do.

    The second of publication, then the post's id (to 2**28, far past any
    site's count). SQLite's full-text table is keyed by it (migration
    0003), because FTS5 walks its matches in key order and can start from
    a key: the newest matches of a word in every post are its first few,
    with no sort and no look-up per match. A date past the range (a typo
    for the year 30000) sorts with its end of it.
    """
    second = math.floor(published_at.timestamp())
    second = max(-SECONDS_LIMIT, min(second, SECONDS_LIMIT - 1))
    return second * 2**POST_BITS + post_id % 2**POST_BITS


class SearchDocument(models.Model):
    post = models.OneToOneField(
        Post, related_name="search_document", on_delete=models.CASCADE
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Names of the post's tags and categories, so a search for a tag finds it.
    terms = models.TextField(blank=True)
    # Copied from the post so scheduled posts can be left out at query time
    # and appear by themselves when their time comes.
    published_at = models.DateTimeField(db_index=True)
    # ``recency_of(published_at, post_id)``: the full-text table's key on SQLite.
    recency = models.BigIntegerField(unique=True)

    def __str__(self) -> str:
        return self.title
