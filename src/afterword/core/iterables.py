"""Small helpers for walking long sequences a slice at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(iterable: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Tuples of up to ``size`` items, in order (``itertools.batched``, which
    arrives only with Python 3.12)."""
    if size < 1:
        raise ValueError("size must be at least one")
    iterator = iter(iterable)
    while chunk := tuple(islice(iterator, size)):
        yield chunk
