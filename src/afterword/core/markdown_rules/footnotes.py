"""Footnotes (``[^1]`` … ``[^1]: text``), labelled for screen readers.

mdit-py-plugins parses them; these renderer rules only name the footnote
section and the back links, which otherwise read as a bare arrow.

Notes are printed together at the end of a post, outside any spoiler, so a
note that belongs to a spoiler (written inside the spoiler block, or only
referred to from spoilers) is put in a spoiler block of its own there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .spoilers import CLOSE, NAME, OPEN


def setup(md: MarkdownIt) -> None:
    md.add_render_rule("footnote_block_open", render_block_open)
    md.add_render_rule("footnote_anchor", render_back_link)
    # Pushed before the spoilers' own rules, so these blocks get ids too.
    md.core.ruler.push("afterword_spoiler_notes", hide_spoiler_notes)


def hide_spoiler_notes(state: StateCore) -> None:
    tokens = state.tokens
    spoilers = [token.map for token in tokens if token.type == OPEN and token.map]
    if not spoilers:
        return
    cited_in_view: set[int] = set()
    depth = 0
    for token in tokens:
        depth += {OPEN: 1, CLOSE: -1}.get(token.type, 0)
        if token.type == "inline" and not depth:
            cited_in_view.update(
                child.meta["id"]
                for child in token.children or ()
                if child.type == "footnote_ref"
            )
    result: list[Token] = []
    note = 0  # where the current note's tokens start in ``result``
    for token in tokens:
        if token.type == "footnote_close":
            body = result[note:]
            lines = [t.map[0] for t in body if t.map]
            written_in_spoiler = bool(lines) and any(
                start <= lines[0] < end for start, end in spoilers
            )
            if written_in_spoiler or result[note - 1].meta["id"] not in cited_in_view:
                opening = Token(OPEN, "div", 1, block=True, level=token.level)
                opening.info = f" {NAME}"
                result[note:note] = [opening]
                result.append(Token(CLOSE, "div", -1, block=True, level=token.level))
        result.append(token)
        if token.type == "footnote_open":
            note = len(result)
    state.tokens = result


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
