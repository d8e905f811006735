"""Every naughty string as a feed element's text and attribute: the feeds'
quicker XML writer writes Django's bytes, or refuses as Django does."""

from __future__ import annotations

import pytest

from tests.feeds.test_quick_xml import both

pytestmark = pytest.mark.corpora


def test_naughty_strings_written_as_djangos_feed_writer_writes_them(
    naughty_strings, tally
):
    differ = []
    for text in naughty_strings:
        for attrs in (None, {"term": text, "href": "https://example.org/"}):
            django_outcome, ours = both("category", text, attrs)
            if ours != django_outcome:
                differ.append((text, attrs))
    # Two more fields the strings go through: a feed element's text and
    # its attribute.
    tally("blns", fields=2)
    assert differ == []
