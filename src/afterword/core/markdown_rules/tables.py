"""Table cells: column alignment as a class, since inline styles are banned.

markdown-it writes ``style="text-align:right"``; the site's CSP and the
sanitiser allow no style attributes, so the theme styles ``align-right``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token


def setup(md: MarkdownIt) -> None:
    md.add_render_rule("th_open", render_cell_open)
    md.add_render_rule("td_open", render_cell_open)


def render_cell_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    if style.startswith("text-align:"):
        token.attrs.pop("style")
        token.attrSet("class", "align-" + style.removeprefix("text-align:"))
    if token.type == "th_open":
        # Markdown tables only have header cells in their head row.
        token.attrSet("scope", "col")
    return self.renderToken(tokens, idx, options, env)
