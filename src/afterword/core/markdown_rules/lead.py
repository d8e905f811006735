"""The lead figure: the first figure a reader sees without opening anything.

Listings show it when a post has no featured image, so it is chosen from the
token stream, where it is known what each figure is inside of: a figure in a
spoiler block, in a footnote or in a ``<details>`` written by hand is never
the lead. Figures in quotes and lists are in plain view and may lead.

Only figures made with the figure syntax (an image alone in its paragraph)
count; a ``<figure>`` written in HTML does not.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser

from markdown_it.token import Token

from .spoilers import CLOSE, OPEN

# Token types that open (+1) or close (-1) a part of the document readers do
# not see at a glance.
_HIDING = {
    OPEN: 1,
    CLOSE: -1,
    "footnote_block_open": 1,
    "footnote_block_close": -1,
}


class _DetailsDepth(HTMLParser):
    """How many hand-written ``<details>`` are open, fed raw HTML as it comes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "details":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.depth:
            self.depth -= 1


def _raw_html(token: Token) -> Iterator[str]:
    if token.type == "html_block":
        yield token.content
    elif token.type == "inline":
        for child in token.children or ():
            if child.type == "html_inline":
                yield child.content


def lead_figure(tokens: Sequence[Token]) -> list[Token] | None:
    """A copy of the tokens of the first figure in plain view, or None.

    A copy, so that rendering it on its own does not share attributes the
    renderer sets on the document's tokens (``loading="lazy"`` and the like).
    """
    hidden = 0
    details = _DetailsDepth()
    for i, token in enumerate(tokens):
        hidden += _HIDING.get(token.type, 0)
        for html in _raw_html(token):
            details.feed(html)
        if token.type != "figure_open" or hidden or details.depth:
            continue
        for j in range(i + 1, len(tokens)):
            if tokens[j].type == "figure_close" and tokens[j].level == token.level:
                return copy.deepcopy(list(tokens[i : j + 1]))
    return None
