"""Reading gettext catalogues (.po) and finding their English in a page.

A small reader rather than a dependency: the tests need each entry's
context, msgid, plural, translations and flags, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import afterword

LOCALE_DIR = Path(afterword.__file__).resolve().parent / "locale"
FRENCH = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str
    context: str | None = None
    plural: str | None = None
    translations: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def english(self) -> list[str]:
        return [self.msgid] + ([self.plural] if self.plural else [])


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), body)


def read(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (empty msgid) left out."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        fields: dict[str, str] = {}
        flags: set[str] = set()
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
            elif line.strip():
                keyword, _space, rest = line.partition(" ")
                current = keyword
                fields[current] = _unquote(rest)
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        translations = [
            value
            for name, value in sorted(fields.items())
            if name == "msgstr" or name.startswith("msgstr[")
        ]
        entries.append(
            Entry(
                msgid=fields["msgid"],
                context=fields.get("msgctxt"),
                plural=fields.get("msgid_plural"),
                translations=translations,
                flags=flags,
            )
        )
    return entries


class _ShownText(HTMLParser):
    """What a page shows or says to a person: text, and the attributes that
    screen readers and browsers present (labels, placeholders, titles) or
    that scripts show (data-say-*, data-result-*, data-player-title)."""

    SPOKEN = {"aria-label", "placeholder", "title", "alt"}
    SCRIPTED = ("data-say-", "data-result-", "data-player-title")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in self.SPOKEN or name.startswith(self.SCRIPTED)):
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append(data)


def shown_text(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces]


# What cannot be told apart from French or from content: placeholders,
# markup, and words both languages write alike.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+\}|<[^>]+>")
SAME_IN_BOTH = {"Page", "Pages", "Message", "Date", "Format", "Audio", "Note"}


def english_left(html: str, entries: list[Entry]) -> list[str]:
    """The catalogue's English strings ``html`` still shows.

    Each string is cut at its placeholders and markup; a piece of two words
    or more counts when it appears anywhere in the shown text, a single word
    only when it is a whole piece of text (a button, a heading, a label), so
    that words inside content or URLs do not count.
    """
    pieces = shown_text(html)
    joined = "\n".join(pieces)
    words = {piece.strip(" .:?!·()") for piece in pieces}
    found = []
    for entry in entries:
        if all(text in entry.english for text in entry.translations):
            continue  # the same in French ("Manga", "Film", "Streaming")
        for english in entry.english:
            for chunk in _PLACEHOLDER.split(english):
                chunk = " ".join(chunk.split()).strip(" .:?!,;“”()")
                if not chunk or chunk in SAME_IN_BOTH:
                    continue
                if all(chunk in text for text in entry.translations):
                    continue  # "(Atom)", "Mastodon": French keeps them
                if " " in chunk:
                    hit = chunk in joined
                else:
                    hit = len(chunk) > 2 and chunk in words
                if hit:
                    found.append(english)
                    break
    return sorted(set(found))
