"""The table of contents of a series, as readers see it right now.

Built from one query (the series' parts with their posts), so a part page or a
series page costs the same whatever the series' length. Whether a part is
published is decided here, at render time, with the same rule as
``Post.objects.listed()``: a scheduled part appears at its time by itself,
an unlisted or private one is shown as a part still to come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from django.utils import timezone
from django.utils.translation import get_language

from afterword.core import memo

from .models import Series, SeriesPart


@dataclass(frozen=True)
class Entry:
    """One line of the table of contents."""

    number: int
    title: str
    url: str  # empty when the part is not published: shown, not linked
    expected: date | None
    post_id: int | None
    published_at: datetime | None = None

    @property
    def published(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True)
class Toc:
    series: Series
    entries: list[Entry] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def published(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.published]

    def entry_for(self, post_id: int) -> Entry | None:
        return next((e for e in self.entries if e.post_id == post_id), None)

    def neighbours(self, post_id: int) -> tuple[Entry | None, Entry | None]:
        """The nearest published parts before and after, skipping the rest."""
        numbers = [e.post_id for e in self.entries]
        if post_id not in numbers:
            return None, None
        index = numbers.index(post_id)
        before = [e for e in self.entries[:index] if e.published]
        after = [e for e in self.entries[index + 1 :] if e.published]
        return (before[-1] if before else None, after[0] if after else None)


def parts_query():
    return SeriesPart.objects.select_related("series", "post").defer(
        "post__body", "post__body_html", "series__description"
    )


def build(series: Series, parts: list[SeriesPart], now=None) -> Toc:
    now = now or timezone.now()
    entries = []
    for number, part in enumerate(parts, start=1):
        live = part.is_published(now)
        entries.append(
            Entry(
                number=number,
                title=series.display_title(number, part.reader_title(now)),
                url=part.post.get_absolute_url() if live else "",
                expected=None if live else part.expected_date,
                post_id=part.post_id,
                published_at=part.post.published_at if live else None,
            )
        )
    return Toc(series=series, entries=entries)


def for_series(series: Series) -> Toc:
    """The series' contents, read once per content version and language
    (``core.memo``): a new version starts when any post is published or
    changed and when a scheduled part's time comes, which is all that
    changes them. Building a few dozen entries is most of a series page."""
    entries = memo.remember(
        f"series-toc:{series.pk}:{get_language()}", partial(_entries, series)
    )
    return Toc(series=series, entries=entries)


def _entries(series: Series) -> list[Entry]:
    return build(series, list(parts_query().filter(series=series))).entries


def for_post(post_id: int) -> Toc | None:
    """The table of contents of the series holding ``post_id``, in one query."""
    parts = list(parts_query().filter(series__parts__post_id=post_id))
    if not parts:
        return None
    return build(parts[0].series, parts)


def preload(posts) -> None:
    """``for_post_page`` of many posts at once: one query for every series
    that holds one of them (the static build renders every post page)."""
    ids = [post.pk for post in posts]
    holding = SeriesPart.objects.filter(post_id__in=ids).values("series_id")
    parts_by_series: dict[int, list[SeriesPart]] = {}
    for part in parts_query().filter(series_id__in=holding):
        parts_by_series.setdefault(part.series_id, []).append(part)
    by_post: dict[int, Toc] = {}
    for parts in parts_by_series.values():
        contents = build(parts[0].series, parts)
        for part in parts:
            by_post[part.post_id] = contents
    for post in posts:
        post._series_toc = by_post.get(post.pk)


def for_post_page(post) -> Toc | None:
    """``for_post`` remembered on the post object, for the several template
    tags of one post page (displayed title, table of contents)."""
    if not hasattr(post, "_series_toc"):
        post._series_toc = for_post(post.pk)
    return post._series_toc
