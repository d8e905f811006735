"""Footnotes (``[^1]`` … ``[^1]: text``), labelled for screen readers.

mdit-py-plugins parses them; these renderer rules only name the footnote
section and the back links, which otherwise read as a bare arrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token


def setup(md: MarkdownIt) -> None:
    md.add_render_rule("footnote_block_open", render_block_open)
    md.add_render_rule("footnote_anchor", render_back_link)


def render_block_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return (
        '<hr class="footnotes-sep">\n'
        '<section class="footnotes" aria-label="Footnotes">\n'
        '<ol class="footnotes-list">\n'
    )


def render_back_link(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    number = ident
    if token.meta.get("subId", 0) > 0:
        ident += f":{token.meta['subId']}"
    return (
        f' <a href="#fnref{ident}" class="footnote-backref"'
        f' aria-label="Back to reference {number}">\u21a9\ufe0e</a>'
    )
