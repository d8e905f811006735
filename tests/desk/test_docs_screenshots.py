"""The desk's documentation shows screens the test suite photographs.

Every picture of the desk that a page under docs/ shows must be one that
``test_every_screen_in_chromium`` takes (so it is redrawn whenever the
suite runs, never a stale hand-made capture), and the file must be there.
"""

from __future__ import annotations

import re
from pathlib import Path

from .test_every_screen_in_chromium import DOCUMENTED, SHOTS

DOCS = Path(__file__).resolve().parents[2] / "docs"
PICTURE = re.compile(r"\]\((images/desk/([A-Za-z_-]+)\.png)\)")
VARIANTS = ("", "-dark", "-phone")


def test_every_desk_picture_in_the_docs_is_taken_by_the_suite():
    taken = {name + variant for name in DOCUMENTED.values() for variant in VARIANTS}
    shown = {
        (page.name, match.group(2))
        for page in DOCS.glob("*.md")
        for match in PICTURE.finditer(page.read_text())
    }
    assert shown, "docs/desk.md shows no screenshot"
    assert {picture for _page, picture in shown} <= taken, shown
    for _page, picture in shown:
        assert (SHOTS / f"{picture}.png").exists(), picture


def test_desk_and_writing_guides_show_the_desk():
    for page in ("desk.md", "writing.md"):
        assert PICTURE.search((DOCS / page).read_text()), page
