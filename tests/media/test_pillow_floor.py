"""The Pillow in use is at least the release pyproject.toml asks for.

The floor is there for security (see the comment next to it); a test keeps
an old Pillow left in an environment from passing unnoticed, and keeps the
floor itself from being lowered below the release that fixed the decoder
holes uploads can reach.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
# The first Pillow without the known decoder holes (the security fixes of
# 12.3.0 and 13.0.0).
SAFE_RELEASE = (13, 0, 0)


def release(text: str) -> tuple[int, ...]:
    numbers = tuple(int(part) for part in re.findall(r"\d+", text)[:3])
    return numbers + (0,) * (3 - len(numbers))


def declared_floor() -> tuple[int, ...]:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    (pin,) = [d for d in dependencies if re.match(r"(?i)pillow\b", d)]
    match = re.fullmatch(r"(?i)pillow\s*>=\s*([\d.]+)", pin.strip())
    assert match, f"Pillow should be pinned with a >= floor, not {pin!r}"
    return release(match.group(1))


def test_the_pillow_floor_is_a_release_without_the_known_decoder_holes():
    assert declared_floor() >= SAFE_RELEASE


def test_the_installed_pillow_meets_the_declared_floor():
    installed = version("Pillow")
    assert release(installed) >= declared_floor(), (
        f"Pillow {installed} is installed; pyproject.toml asks for "
        f">= {'.'.join(map(str, declared_floor()))}"
    )
