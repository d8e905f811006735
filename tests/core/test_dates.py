"""``core.dates.date_format`` writes what Django's ``date_format`` writes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation

from afterword.core.dates import date_format

CODES = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ"
NAMES = ["DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT"]
MOMENTS = [
    datetime(2026, 12, 2, 14, 5, 9, 123456, tzinfo=ZoneInfo("Pacific/Auckland")),
    datetime(2024, 2, 29, 0, 0, tzinfo=ZoneInfo("UTC")),
    # A naive one is read in the site's time zone, as Django reads it.
    datetime(2019, 7, 4, 23, 59, 59),
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_every_format_and_code_reads_as_djangos(language, moment, settings):
    settings.TIME_ZONE = "Europe/Paris"
    with translation.override(language):
        for name in NAMES + list(CODES) + [r"j \d\e F Y \à H\hi", "\\\\Y"]:
            assert date_format(moment, name) == formats.date_format(moment, name), name


def test_a_date_is_written_as_django_writes_it_and_refuses_a_time():
    day = date(2026, 12, 2)
    assert date_format(day, "DATE_FORMAT") == formats.date_format(day, "DATE_FORMAT")
    with pytest.raises(TypeError):
        date_format(day, "H:i")
