"""The few lines of a post shown under a search result, its matches marked.

Written here rather than by the databases (FTS5's ``snippet()``, PostgreSQL's
``ts_headline``): both tokenize and stem the whole body of every result to
choose the lines, 0.1-0.2 ms a result on a 4 KB review, most of a results
page's time on either database. Here one regular expression finds the first
place the reader's words appear, and only the words around it are looked at:
a few microseconds. Both databases now show the same lines for the same post.

The index stems words ("films" finds "film"); the marks only approximate
that, by matching each word's start without its common English endings. A
post matched in a form this misses shows its summary instead, as one matched
through a prefix alone always has.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .query import terms

# Words shown in all, and of those, how many before the first match.
SNIPPET_WORDS = 32
LEAD_WORDS = 8
ELLIPSIS = "…"

_TOKEN = re.compile(r"\w+")
# What ends the last word shown: "film." or "film),".
_TRAILING = re.compile(r"[^\w\s]*")
# The endings the index's stemmers take off that matter most for marking:
# "films", "filmed", "filming" all start with "film".
_ENDING = re.compile(r"(?:ies|es|s|ed|ing|ly)$")
# How far back from a match the words leading to it are looked for.
_LEAD_CHARS = 25 * LEAD_WORDS


class _BaseLetters(dict):
    """A ``str.translate`` table dropping accents one character at a time,
    so positions in the folded text are positions in the original: é -> e."""

    def __missing__(self, code: int) -> int:
        decomposed = unicodedata.normalize("NFD", chr(code))
        self[code] = ord(decomposed[0])
        return self[code]


_FOLD = _BaseLetters()


def _fold(text: str) -> str:
    return text if text.isascii() else text.translate(_FOLD)


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    stems = set()
    for word in words:
        word = _fold(word.casefold())
        stem = _ENDING.sub("", word)
        stems.add(stem if len(stem) >= 3 else word)
    if not stems:
        return None
    alternatives = "|".join(
        re.escape(stem) for stem in sorted(stems, key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def snippet(body: str, query: str) -> SafeString:
    """About ``SNIPPET_WORDS`` words of ``body`` from a little before the
    first of the query's words, each of its words found there in ``<mark>``;
    empty when none is found. Everything else is escaped."""
    pattern = _pattern(tuple(terms(query)))
    if pattern is None or not body:
        return SafeString("")
    text = _fold(body)
    first = pattern.search(text)
    if first is None:
        return SafeString("")
    start = _lead_start(text, first.start())
    end = len(text)
    for count, token in enumerate(_TOKEN.finditer(text, start), start=1):
        if count == SNIPPET_WORDS:
            end = _TRAILING.match(text, token.end()).end()
            break
    parts = [ELLIPSIS] if start > 0 else []
    shown = start
    for found in pattern.finditer(text, start, end):
        parts.append(escape(body[shown : found.start()]))
        parts.append(f"<mark>{escape(body[found.start() : found.end()])}</mark>")
        shown = found.end()
    parts.append(escape(body[shown:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    # Safe: every piece of the post's text was escaped above.
    return mark_safe("".join(parts))


def _lead_start(text: str, match_start: int) -> int:
    """Where the shown words begin: up to ``LEAD_WORDS`` words before the
    match, never in the middle of one."""
    window = max(0, match_start - _LEAD_CHARS)
    before = [token.start() for token in _TOKEN.finditer(text, window, match_start)]
    if window > 0 and before and before[0] == window:
        # Cut off by the window: it may be the end of a longer word.
        before.pop(0)
    if window == 0 and len(before) <= LEAD_WORDS:
        return 0
    if not before:
        return match_start
    return before[len(before) - LEAD_WORDS] if len(before) > LEAD_WORDS else before[0]
