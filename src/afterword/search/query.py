"""Turning what a reader typed into something safe to hand to the database.

Readers type anything: quotes, ``*``, ``-``, ``NEAR``, unbalanced brackets,
HTML. None of it may reach FTS5's query language, which raises on bad syntax,
so the text is reduced to its words and each word is quoted.
"""

from __future__ import annotations

import re

MAX_QUERY_CHARS = 200
MAX_TERMS = 12

_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop control characters: NUL breaks PostgreSQL."""
    return _CONTROL.sub(" ", text or "")


def normalise(text: str) -> str:
    """The reader's query, trimmed to a sane length and free of control characters."""
    return " ".join(clean_text(text)[:MAX_QUERY_CHARS].split())


def terms(text: str) -> list[str]:
    """The words of a query, in order, at most ``MAX_TERMS`` of them."""
    return _WORD.findall(normalise(text))[:MAX_TERMS]


def fts5_query(text: str, *, prefix: bool = True) -> str:
    """An FTS5 query matching every word; the last one also as a prefix
    unless ``prefix`` is false.

    Each word is a quoted string, so FTS5 reads ``NEAR``, ``OR`` or ``*`` as
    plain words and can never see an operator the reader typed.
    """
    words = terms(text)
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    if prefix:
        quoted[-1] += "*"
    return " ".join(quoted)
