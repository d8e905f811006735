"""Spoiler blocks, hidden until the reader opens them.

::

    ::: spoiler What happens to Ryuji
    He survives the fall.
    :::

becomes ``<details class="spoiler"><summary>Spoiler: What happens to
Ryuji</summary>…</details>``: native, keyboard and screen-reader friendly, and
readable without JavaScript. Their text is kept out of ``plain_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

NAME = "spoiler"


def setup(md: MarkdownIt) -> None:
    container_plugin(md, NAME, validate=is_spoiler, render=render_spoiler)


def is_spoiler(params: str, *args: Any) -> bool:
    return params.strip().split(" ", 1)[0].lower() == NAME


def label(params: str) -> str:
    """The summary text for a spoiler opened with ``params``."""
    extra = params.strip()[len(NAME) :].strip()
    return f"Spoiler: {extra}" if extra else "Spoiler"


def render_spoiler(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    if token.nesting == 1:
        summary = escapeHtml(label(token.info))
        return f'<details class="spoiler">\n<summary>{summary}</summary>\n'
    return "</details>\n"
