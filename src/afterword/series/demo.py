"""The series part of the demo site (called by ``afterword load_demo``).

The core demo has Part 1 of a review of *Memories* (1995) published and
Part 2 as a draft, and promises the rest "when I have finished writing
them". This makes that promise a series: Part 1 and Part 2 as parts, and
Part 3 planned with the month it is expected, so the demo shows "coming
soon" entries that turn into links once the writer publishes them.
"""

from __future__ import annotations

import datetime

from . import actions
from .models import Series, SeriesPart

PARTS = [
    (1, "memories-part-1-magnetic-rose", ""),
    (2, "memories-part-2-stink-bomb", "Memories, Part 2: Stink Bomb"),
    (3, None, "Memories, Part 3: Cannon Fodder"),
]

DESCRIPTION = (
    "*Memories* (1995) is an anthology of three short films from stories by "
    "Katsuhiro Otomo, each with its own director and its own temper. This "
    "series reviews them one at a time, in the order the anthology plays them."
)


def expected_month(now: datetime.datetime) -> datetime.date:
    """The first day of the month after next: a plausible writing deadline."""
    month = now.month + 2
    return datetime.date(now.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def load(context) -> None:
    series = Series.objects.filter(slug="memories").first()
    if series is None:
        series = actions.save_series(
            Series(
                title="Memories",
                slug="memories",
                description=DESCRIPTION,
                cover_image=context.images.get("magnetic-rose-station"),
                # The demo posts already carry "Memories, Part N:" in their
                # titles, so the pattern is off here.
                title_pattern="",
            )
        )
        context.log("Series: Memories (Part 3 planned).")
    for position, slug, planned_title in PARTS:
        if series.parts.filter(position=position).exists():
            continue
        post = context.posts.get(slug) if slug else None
        if slug and (post is None or SeriesPart.objects.filter(post=post).exists()):
            continue
        actions.save_part(
            SeriesPart(
                series=series,
                position=position,
                post=post,
                planned_title=planned_title,
                expected_date=None if post else expected_month(context.now),
            )
        )
