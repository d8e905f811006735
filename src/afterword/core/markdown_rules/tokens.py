"""Small helpers shared by the rules that reshape the token stream."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markdown_it.token import Token

_BREAKS = {"softbreak", "hardbreak"}
_SILENT = {"html_inline", "image", "footnote_ref"}


def inline_text(children: Iterable[Token] | None) -> str:
    """The readable text of inline tokens (markup, images and notes left out)."""
    parts = []
    for token in children or ():
        if token.type in _BREAKS:
            parts.append(" ")
        elif token.type not in _SILENT and token.nesting == 0:
            parts.append(token.content)
    return " ".join("".join(parts).split())


def afterword_env(env: Any) -> dict[str, Any]:
    """The per-document state dict of :func:`render_markdown`.

    Parsers may also be driven directly (``md.render(text)``), as tests and
    extensions do; then a throwaway state keeps the rules working.
    """
    state = env.setdefault("afterword", {})
    state.setdefault("profile", "post")
    state.setdefault("warnings", [])
    state.setdefault("extras", {})
    state.setdefault("images", [])
    state.setdefault("headings", [])
    state.setdefault("image_resolver", None)
    return state


def paragraph_lines(children: list[Token]) -> list[list[Token]]:
    """Split a paragraph's inline tokens into its lines (breaks dropped)."""
    lines: list[list[Token]] = [[]]
    for token in children:
        if token.type in _BREAKS:
            lines.append([])
        else:
            lines[-1].append(token)
    return lines


def make_paragraph(template: Token, children: list[Token]) -> list[Token]:
    """paragraph_open, inline, paragraph_close around ``children``."""
    opening = Token("paragraph_open", "p", 1, block=True, level=template.level)
    inline = Token("inline", "", 0, block=True, level=template.level + 1)
    inline.children = children
    inline.content = "".join(t.content for t in children)
    closing = Token("paragraph_close", "p", -1, block=True, level=template.level)
    return [opening, inline, closing]
