"""The two faces of a ``<time>`` element: ``machine_time`` for its
``datetime`` attribute, ``reader_date`` for the text a reader sees.

Django's ``date:"c"`` prints microseconds, which HTML's date syntax does not
allow (it takes at most milliseconds), so pages would fail validation.
``reader_date`` is ``date:"DATE_FORMAT"``, remembered per day and language:
Django's date formatting costs about 25 µs a call, which a page of 20
search results paid twice per result. Registered as a template builtin in
settings, so no ``{% load %}`` is needed.
"""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils import formats, timezone, translation

register = template.Library()


@register.filter
def machine_time(value: datetime | None) -> str:
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.filter
def reader_date(value: datetime | date | None) -> str:
    """The day of ``value`` in the site's time zone, as the language writes it."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return _formatted_day(value, translation.get_language())


@lru_cache(maxsize=8192)
def _formatted_day(day: date, language: str | None) -> str:
    # DATE_FORMAT names a day, never a time of it, so the day and the
    # language decide the text (the language is a key, not read here:
    # get_format reads the active one).
    return formats.date_format(day, "DATE_FORMAT")
