"""Django's ``date_format``, with each format string split once.

Django's formatter splits its format string with regular expressions on
every call, and removes the backslashes of each literal piece with another:
about 40 µs for "j F Y, H:i", most of a comment's share of its thread. A
format string is split the same way every time, so here it is split once
(per string, whatever the language) and each call only asks the formatter
for the values. The text is Django's (``tests/core/test_dates.py`` compares
every format character in every language the site ships).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.dateformat import format as django_format
from django.utils.formats import get_format


@lru_cache(maxsize=256)
def _pieces(format_string: str) -> tuple[tuple[str, bool], ...]:
    """(text, whether it names a value) for each piece, in order."""
    pieces = []
    for i, piece in enumerate(re_formatchars.split(format_string)):
        if i % 2:
            pieces.append((piece, True))
        elif piece:
            pieces.append((re_escaped.sub(r"\1", piece), False))
    return tuple(pieces)


def date_format(value: datetime | date, format_name: str) -> str:
    """``django.utils.formats.date_format(value, format_name)``, faster."""
    format_string = str(get_format(format_name))
    if not isinstance(value, datetime):
        # A date with a time-of-day code is Django's error to raise.
        return django_format(value, format_string)
    formatter = DateFormat(value)
    return "".join(
        str(getattr(formatter, text)()) if is_value else text
        for text, is_value in _pieces(format_string)
    )
