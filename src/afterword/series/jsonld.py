"""schema.org data for series: ``CreativeWorkSeries`` with its parts.

A part page gets a ``BlogPosting`` naming the same URL as the post's own
JSON-LD, with ``isPartOf`` the series and its ``position``; the series page
gets the ``CreativeWorkSeries`` with ``hasPart`` listing the published parts.
"""

from __future__ import annotations

from typing import Any

from afterword.posts.seo import absolute_url

from .toc import Entry, Toc

CONTEXT = "https://schema.org"


def series_ref(toc: Toc) -> dict[str, Any]:
    url = absolute_url(toc.series.get_absolute_url())
    return {
        "@type": "CreativeWorkSeries",
        "@id": url,
        "name": toc.series.title,
        "url": url,
    }


def part_data(toc: Toc, entry: Entry) -> dict[str, Any]:
    url = absolute_url(entry.url)
    return {
        "@context": CONTEXT,
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "name": entry.title,
        "position": entry.number,
        "isPartOf": series_ref(toc),
    }


def series_data(toc: Toc) -> dict[str, Any]:
    data = {"@context": CONTEXT, **series_ref(toc)}
    data["numberOfItems"] = toc.total
    data["hasPart"] = [
        {
            "@type": "BlogPosting",
            "@id": absolute_url(entry.url),
            "url": absolute_url(entry.url),
            "name": entry.title,
            "position": entry.number,
        }
        for entry in toc.published
    ]
    return data
