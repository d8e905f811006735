"""Adding one to a daily counter, safely when many requests do it at once.

``bump`` is an ``UPDATE ... SET n = n + 1`` (or ``+ by``): the database adds, so two
requests never read the same old value. The first view of a day finds no
row: it inserts one at zero, ignoring the conflict if another request just
did (``INSERT ... ON CONFLICT DO NOTHING`` on PostgreSQL, ``INSERT OR
IGNORE`` on SQLite), and adds again. One query on every view but the day's
first, and no lost counts on either database.
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import F
from django.utils import timezone

# Distinct referring domains kept per day; past it they count under "".
MAX_REFERRERS_PER_DAY = 500
DOMAIN = re.compile(
    r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
)


def today():
    return timezone.localdate()


def bump(model: type[models.Model], field: str, by: int = 1, **keys) -> None:
    """Add ``by`` (one) to ``field`` of the row of ``model`` matching ``keys``."""
    rows = model.objects.filter(**keys)
    if rows.update(**{field: F(field) + by}):
        return
    model.objects.bulk_create([model(**keys, **{field: 0})], ignore_conflicts=True)
    rows.update(**{field: F(field) + by})


def clean_domain(text: str) -> str | None:
    """A referrer's host name as kept (lower case, no "www."), or None if junk."""
    text = text.strip().lower().rstrip(".")
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if not DOMAIN.fullmatch(text):
        return None
    return text.removeprefix("www.")
