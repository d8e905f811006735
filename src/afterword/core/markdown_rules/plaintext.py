"""The text a reader reads, taken from the sanitised HTML.

Summaries, feed excerpts, OpenGraph descriptions and search snippets are made
from it, so it leaves out what a reader does not see at a glance: spoilers
(and any other ``<details>``), footnote markers and notes, and the controls of
video embeds. Reading the final HTML rather than the tokens means syntax added
by extensions is covered without them doing anything.
"""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = {"br", "hr", "img", "wbr", "area", "col", "embed", "input", "source"}
_BLOCK = {
    "p", "div", "li", "ul", "ol", "blockquote", "pre", "figure", "figcaption",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "dt", "dd",
    "section", "br", "hr", "caption",
}  # fmt: skip
_HIDDEN_CLASSES = {"footnote-ref", "footnotes", "video-embed"}


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in _BLOCK and not self.hidden_depth:
                self.parts.append(" ")
            return
        if self.hidden_depth:
            self.hidden_depth += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "details" or classes & _HIDDEN_CLASSES:
            self.hidden_depth = 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.hidden_depth:
            self.hidden_depth -= 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The visible text of ``html``, whitespace collapsed to single spaces."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return " ".join("".join(reader.parts).split())
