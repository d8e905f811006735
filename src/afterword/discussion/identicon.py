"""Identicons drawn on this server: a symmetric 5×5 pattern from a hash, as SVG."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

# The digests the site puts in avatar addresses (``Comment.identity_hash``):
# 32 lower-case hex digits. Any other name is not an avatar of ours.
DIGEST = re.compile(r"[0-9a-f]{32}")


def is_digest(value: str) -> bool:
    """Whether ``value`` is spelled as the site writes an avatar's digest."""
    return DIGEST.fullmatch(value) is not None


@lru_cache(maxsize=2048)
def identicon_svg(digest: str) -> str:
    """The SVG for ``digest`` (normally a hash of the commenter, see ``is_digest``)."""
    seed = hashlib.sha256(digest.encode()).digest()
    hue = int.from_bytes(seed[:2], "big") % 360
    colour = f"hsl({hue} 55% 45%)"
    cells = []
    for row in range(5):
        for column in range(3):
            if seed[2 + row * 3 + column] % 2:
                cells.append((column, row))
                if column < 2:
                    cells.append((4 - column, row))
    rects = "".join(
        f'<rect x="{x + 1}" y="{y + 1}" width="1" height="1"/>' for x, y in cells
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" '
        'width="48" height="48"><rect width="7" height="7" fill="#f0eee9"/>'
        f'<g fill="{colour}">{rects}</g></svg>'
    )
