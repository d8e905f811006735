"""Colour arithmetic for the site's accent: parsing, WCAG contrast, shading.

WCAG 2 defines a colour's relative luminance and the contrast ratio of two
colours (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio); AA asks 4.5:1 for
body text. The accent is both white text's background (buttons) and the
colour of links on a near-white page, so it is checked against white.
"""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
WHITE = "#ffffff"
AA_TEXT = 4.5


def normalise(value: str) -> str:
    """``value`` as ``#rrggbb`` in lower case; ValueError when it is no colour."""
    value = (value or "").strip()
    if not HEX_COLOUR.match(value):
        raise ValueError(value)
    digits = value.lstrip("#").lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def channels(colour: str) -> tuple[int, int, int]:
    digits = normalise(colour)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darken(colour: str, amount: float = 0.3) -> str:
    """``colour`` mixed with ``amount`` of black: the hover shade."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in channels(colour))
