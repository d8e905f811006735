"""Keeping the search index current, and asking it questions.

``index_posts`` re-reads posts by id: after every committed change of posts,
tags or categories (``receivers.on_public_changes``, subscribed to
``core.changes`` in ``apps.py``; a whole import is one batch), and for
anything else that needs posts re-read; ``index_post`` does it for one post,
``rebuild_search_index`` for all. Only published and
scheduled posts have a document; whether a scheduled one is due is decided
at query time from ``published_at``, so it shows up in results at its time
without anyone touching the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString

from afterword.core.iterables import batched
from afterword.core.markdown import render_markdown
from afterword.posts.models import (
    LISTED_VISIBILITIES,
    Category,
    Post,
    Tag,
    post_address,
)

from .backends import SearchBackend, get_backend
from .models import SearchDocument, recency_of
from .query import clean_text, normalise

INDEXED_STATUSES = (Post.Status.PUBLISHED, Post.Status.SCHEDULED)
# Posts read (and documents written) per round trip by ``index_posts``.
INDEX_CHUNK = 500
# A post's texts, which a page of results never shows.
# What a result on the page reads of its post (``Result``): the address is
# made of the kind, slug and dates.
RESULT_FIELDS = ("title", "summary", "kind", "slug", "published_at", "created_at")


def is_indexable(post: Post) -> bool:
    """Whether a post belongs in the index: listed (public or protected), and
    live now or scheduled for later. Unlisted and private posts have none."""
    return (
        post.status in INDEXED_STATUSES
        and post.published_at is not None
        and post.visibility in LISTED_VISIBILITIES
    )


def document_fields(post: Post) -> dict:
    """The text stored for a post; spoiler-free, since ``plain_text`` is.

    A password-protected post is found by its title and terms only: its text
    is neither searchable nor quoted in a snippet.
    """
    term_names = [tag.name for tag in post.tags.all()]
    term_names += [category.name for category in post.categories.all()]
    protected = post.visibility == Post.Visibility.PASSWORD
    return {
        "title": clean_text(post.title),
        "summary": "" if protected else clean_text(post.summary),
        "body": "" if protected else clean_text(render_markdown(post.body).plain_text),
        "terms": clean_text(" ".join(term_names)),
        "published_at": post.published_at,
        "recency": recency_of(post.published_at, post.pk),
    }


def index_post(post: Post) -> None:
    """Bring a post's search document in line with the post as saved."""
    if post.pk is None:
        # Deleted: the database cascade has already removed its document.
        return
    if not is_indexable(post):
        SearchDocument.objects.filter(post_id=post.pk).delete()
        return
    SearchDocument.objects.update_or_create(
        post_id=post.pk, defaults=document_fields(post)
    )


def index_posts(post_ids: Iterable[int]) -> None:
    """:func:`index_post` for many posts, by id: the same documents, written
    with a few queries per chunk of posts rather than a few per post.

    Used after a batch of posts was saved together (an import); ids of posts
    deleted since are ignored, their documents went with them.
    """
    fields = ["title", "summary", "body", "terms", "published_at", "recency"]
    for chunk in batched(post_ids, INDEX_CHUNK):
        with transaction.atomic():
            posts = (
                Post.objects.filter(pk__in=chunk)
                .order_by("pk")
                .prefetch_related("tags", "categories")
            )
            documents, unindexed = [], []
            for post in posts:
                if is_indexable(post):
                    documents.append(
                        SearchDocument(post_id=post.pk, **document_fields(post))
                    )
                else:
                    unindexed.append(post.pk)
            if unindexed:
                SearchDocument.objects.filter(post_id__in=unindexed).delete()
            # An upsert: a post indexed before keeps its document (and row id),
            # updated in place; the full-text triggers follow either way.
            SearchDocument.objects.bulk_create(
                documents,
                update_conflicts=True,
                unique_fields=["post"],
                update_fields=fields,
            )


def index_posts_with_term(term: Tag | Category) -> int:
    """Re-index the posts carrying a tag or category (after it was renamed)."""
    if term.pk is None:
        return 0
    post_ids = list(
        Post.objects.filter(**{_term_field(term): term}).values_list("pk", flat=True)
    )
    index_posts(post_ids)
    return len(post_ids)


def _term_field(term: Tag | Category) -> str:
    return "tags" if isinstance(term, Tag) else "categories"


@transaction.atomic
def rebuild_index() -> int:
    """Throw the whole index away and build it again; return the documents made."""
    SearchDocument.objects.all().delete()
    posts = (
        Post.objects.filter(
            status__in=INDEXED_STATUSES,
            published_at__isnull=False,
            visibility__in=LISTED_VISIBILITIES,
        )
        .prefetch_related("tags", "categories")
        .order_by("pk")
    )
    documents = [
        SearchDocument(post_id=post.pk, **document_fields(post))
        for post in posts.iterator(chunk_size=500)
    ]
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    get_backend().optimize()
    return len(documents)


@dataclass(frozen=True)
class Result:
    """A post found by a search: what its line on the results page shows.

    Read as values, not as a ``Post``: twenty model instances, and their
    addresses asked of the template one method call at a time, were a
    quarter of a results page's time.
    """

    title: str
    url: str
    # None for a page, which is shown without a date.
    published_at: datetime | None
    summary: str
    snippet: SafeString


class SearchResults:
    """The results of one query, evaluated a page at a time.

    Django's ``Paginator`` asks for ``count()`` and then one slice, so a page
    of results costs the same three queries however many posts match: the
    count, the page (ranked, or newest first for a broad query: see
    :attr:`newest_first`), and the posts on it.
    """

    def __init__(
        self,
        text: str,
        *,
        backend: SearchBackend | None = None,
        now: datetime | None = None,
    ) -> None:
        self.text = normalise(text)
        self.backend = backend or get_backend()
        self.now = now or timezone.now()
        self._matches: int | None = None

    @property
    def at_most(self) -> int:
        return settings.AFTERWORD_SEARCH_RANKED_AT_MOST

    def matches(self) -> int:
        """The matching posts, counted up to one past :attr:`at_most`."""
        if self._matches is None:
            self._matches = (
                self.backend.count(self.text, self.now, self.at_most)
                if self.text
                else 0
            )
        return self._matches

    def count(self) -> int:
        """How many results are listed: every match, or the newest
        :attr:`at_most` of a broad query."""
        return min(self.matches(), self.at_most)

    @property
    def newest_first(self) -> bool:
        """Whether so many posts match that the newest come first.

        Past ``AFTERWORD_SEARCH_RANKED_AT_MOST`` matches a query is too broad
        for a ranking to mean much (a word in every review), and ranking
        costs a few microseconds per match: "film" on a 100,000-post site
        took 0.4 s ranked. Such a query lists its newest matches, that many
        of them, and is not counted further: on SQLite they are read in the
        index's own order (``backends.sqlite``), a few milliseconds however
        common the word.
        """
        return self.matches() > self.at_most

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Result]:
        if not isinstance(key, slice):
            raise TypeError("Search results are read a page (a slice) at a time.")
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        if not self.text or stop <= start:
            return []
        hits = self.backend.hits(
            self.text,
            self.now,
            start,
            stop - start,
            newest_first=self.newest_first,
            at_most=self.at_most,
        )
        # Still live and listed now (the index is current, this is the
        # page's own word on it), with what a result shows.
        rows = {
            pk: row
            for pk, *row in Post.objects.listed(self.now)
            .filter(pk__in=[hit.post_id for hit in hits])
            .values_list("pk", *RESULT_FIELDS)
        }
        results = []
        for hit in hits:
            if hit.post_id not in rows:
                continue
            title, summary, kind, slug, published_at, created_at = rows[hit.post_id]
            page = kind == Post.Kind.PAGE
            results.append(
                Result(
                    title=title,
                    url=post_address(kind, slug, published_at, created_at),
                    published_at=None if page else published_at,
                    summary=summary,
                    snippet=hit.snippet,
                )
            )
        return results


def search(text: str) -> SearchResults:
    """Live posts and pages matching what a reader typed, best first."""
    return SearchResults(text)
