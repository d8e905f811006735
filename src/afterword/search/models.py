"""The search index: one plain-text document per published or scheduled post.

The table is an ordinary Django model so that the ORM writes it, cascades
deletes into it and empties it between tests. Each database adds its own
full-text machinery on top in the migrations: an FTS5 table kept in step by
triggers on SQLite, a weighted ``tsvector`` generated column with a GIN index
on PostgreSQL. The text stored here never contains spoilers: it comes from the
Markdown pipeline's ``plain_text``.
"""

from django.db import models

from afterword.posts.models import Post


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

    def __str__(self) -> str:
        return self.title
