"""CSV cells that a spreadsheet opens as text, never as a formula.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return before one) as a formula: a work titled
``=HYPERLINK("https://…", "Click")`` in an exported file becomes a live link
or worse on the writer's machine. Every CSV the site writes passes its text
cells through :func:`neutralise`, which puts an apostrophe in front of such
a cell, and every CSV it reads back passes them through :func:`restore`,
which takes exactly that apostrophe off again, so an exported file imports
back to the same values.

The pair is a bijection: a value that already starts with apostrophes
followed by a trigger (``'=x``) gets one more on the way out and loses one
on the way in; any other value (``'Round Midnight``) is left alone both ways.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(value: str) -> bool:
    return value.lstrip("'").startswith(TRIGGERS)


def neutralise(value):
    """``value`` made safe to open in a spreadsheet (non-text is left as is)."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def restore(value):
    """The value :func:`neutralise` was given, from what it returned."""
    if isinstance(value, str) and value.startswith("'") and _needs_quote(value):
        return value[1:]
    return value
