"""Whether one loaded row meets a ``Q``: a rule written once, as a ``Q``,
answers both "which rows?" (a queryset filter) and "this row?" (in Python,
without a query).

Only what such rules need is understood: ``AND``/``OR``/``NOT`` and the
lookups ``exact``, ``in``, ``lt``, ``lte``, ``gt``, ``gte`` and ``isnull`` on
the row's own fields. Anything else raises ``ValueError``, so a rule can never
be half-understood. A comparison with ``None`` is false, as in SQL.
"""

from __future__ import annotations

import operator
from typing import Any

from django.db.models import Q

_COMPARE = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def matches(row: Any, condition: Q) -> bool:
    """Evaluate ``condition`` against ``row``'s attributes."""
    results = (_child(row, child) for child in condition.children)
    found = all(results) if condition.connector == Q.AND else any(results)
    return not found if condition.negated else found


def _child(row: Any, child) -> bool:
    if isinstance(child, Q):
        return matches(row, child)
    path, wanted = child
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        raise ValueError(f"qmatch cannot follow relations ({path}).")
    value = getattr(row, name)
    if lookup == "isnull":
        return (value is None) == bool(wanted)
    if lookup == "in":
        return value is not None and value in wanted
    if lookup in _COMPARE:
        if value is None or wanted is None:
            return False
        return _COMPARE[lookup](value, wanted)
    raise ValueError(f"qmatch does not know the lookup {lookup!r} ({path}).")
