"""Spoiler blocks, hidden until the reader opens them.

::

    ::: spoiler What happens to Ryuji
    He survives the fall.
    :::

becomes ``<details class="spoiler" id="spoiler-1"><summary>Spoiler: What
happens to Ryuji</summary>…</details>``: native, keyboard and screen-reader
friendly, and readable without JavaScript. In posts each spoiler gets an id
(``spoiler-1``, ``spoiler-2``… in document order) so that a feed or an email
can point a reader to it; comments may not carry ids.

A spoiler's text is what readers must never get by accident, so this module
also renders a document three ways from its token stream:

* :func:`render_document` writes the page HTML with every spoiler *sealed*:
  its content is sanitised on its own, so hand-written HTML inside it (a stray
  ``</details>``) cannot close it early, and the document is then checked to
  still hold each sealed spoiler intact, so hand-written HTML before it (an
  unclosed ``<title>`` or ``<xmp>`` turning the rest into visible text) cannot
  show it either. A spoiler that does not survive is left empty, with a
  warning for the writer. The same pass writes the *spoiler-free* HTML that
  leaves the site (feeds), each spoiler replaced by a notice linking to it.
* :func:`hide_in_source` replaces each spoiler of a Markdown text by a notice
  line, for plain-text emails that quote what a reader wrote.

``plain_text`` (summaries, search) is read from the sealed page HTML, where a
spoiler's text is inside its ``<details>`` by construction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from .tokens import afterword_env

NAME = "spoiler"
OPEN = f"container_{NAME}_open"
CLOSE = f"container_{NAME}_close"
# The ids spoilers take in posts; headings never take one of them.
ANCHOR = re.compile(r"spoiler-[0-9]+")
# A line that only closes a container (``:::``, maybe quoted or indented).
_FENCE_LINE = re.compile(r"[\s>]*:{3,}\s*")

Sanitiser = Callable[[str], str]


def setup(md: MarkdownIt) -> None:
    container_plugin(md, NAME, validate=is_spoiler, render=render_spoiler)
    md.core.ruler.push("afterword_spoiler_anchors", number_spoilers)


def is_spoiler(params: str, *args: Any) -> bool:
    return params.strip().split(" ", 1)[0].lower() == NAME


def subject(params: str) -> str:
    """What the writer said the spoiler is about (may be empty)."""
    return params.strip()[len(NAME) :].strip()


def label(params: str) -> str:
    """The summary text for a spoiler opened with ``params``."""
    about = subject(params)
    return f"Spoiler: {about}" if about else "Spoiler"


def notice(params: str) -> str:
    """What a reader away from the site reads instead of the spoiler."""
    about = subject(params)
    hidden = f"Spoiler ({about}) hidden" if about else "Spoiler hidden"
    return f"{hidden}: read it on the site"


def number_spoilers(state: StateCore) -> None:
    if afterword_env(state.env)["profile"] != "post":
        return
    number = 0
    for token in state.tokens:
        if token.type == OPEN:
            number += 1
            token.meta["anchor"] = f"spoiler-{number}"


def render_spoiler(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    if token.nesting == 1:
        summary = escapeHtml(label(token.info))
        anchor = token.meta.get("anchor")
        ident = f' id="{anchor}"' if anchor else ""
        return f'<details class="spoiler"{ident}>\n<summary>{summary}</summary>\n'
    return "</details>\n"


def outermost(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """(open, close) indexes of the spoilers not inside another spoiler."""
    spans = []
    depth = start = 0
    for i, token in enumerate(tokens):
        if token.type == OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif token.type == CLOSE:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


@dataclass
class Rendering:
    """A document rendered with its spoilers sealed, and without them."""

    html: str
    spoiler_free_html: str


def render_document(
    md: MarkdownIt,
    tokens: list[Token],
    env: Any,
    clean: Sanitiser,
    link: str = "",
    *,
    spoiler_free: bool = True,
) -> Rendering:
    """Render ``tokens`` to sanitised HTML, sealing each spoiler.

    Each outermost spoiler is rendered (recursively, so nested ones are sealed
    too) and sanitised on its own; the text around the spoilers is rendered
    once and shared by both outputs. Spoiler notices link to ``link`` when
    given, else to the spoiler's own anchor. With ``spoiler_free=False`` only
    the page HTML is made (``spoiler_free_html`` is empty).
    """
    spans = outermost(tokens)
    if not spans:
        html = clean(_render(md, tokens, env))
        return Rendering(html, html)
    around: list[str] = []
    sealed: list[str] = []
    emptied: list[str] = []
    notices: list[str] = []
    position = 0
    for first, last in spans:
        around.append(_render(md, tokens[position:first], env))
        opening = _render(md, tokens[first : first + 1], env)
        closing = _render(md, tokens[last : last + 1], env)
        inner = render_document(
            md, tokens[first + 1 : last], env, clean, spoiler_free=False
        ).html
        sealed.append(clean(opening + inner + closing))
        emptied.append(opening + closing)
        notices.append(_notice_html(tokens[first], link))
        position = last + 1
    around.append(_render(md, tokens[position:], env))
    html = clean(_weave(around, sealed))
    # In sanitised HTML a raw "<" is always markup (nh3 escapes it in text
    # and, since 0.3.7, in attribute values), so a sealed spoiler found
    # verbatim is in the page as that very element, whole.
    if Counter(sealed) != Counter({s: html.count(s) for s in sealed}):
        # Hand-written HTML around a spoiler changed what the spoiler became
        # (text, or part of another element): showing it could show its text.
        afterword_env(env)["warnings"].append(
            "HTML before or inside a spoiler is not closed, so the spoiler's "
            "text is left out of the page until that HTML is fixed."
        )
        html = clean(_weave(around, emptied))
    if not spoiler_free:
        return Rendering(html, "")
    return Rendering(html, clean(_weave(around, notices)))


def _render(md: MarkdownIt, tokens: Sequence[Token], env: Any) -> str:
    return md.renderer.render(tokens, md.options, env)


def _weave(around: list[str], spoilers: list[str]) -> str:
    parts = [around[0]]
    for spoiler, after in zip(spoilers, around[1:], strict=True):
        parts += [spoiler, after]
    return "".join(parts)


def _notice_html(opening: Token, link: str) -> str:
    text = escapeHtml(notice(opening.info))
    anchor = opening.meta.get("anchor")
    href = link or (f"#{anchor}" if anchor else "")
    if not href:
        return f"<p>{text}.</p>\n"
    return f'<p><a href="{escapeHtml(href)}">{text}</a>.</p>\n'


def hide_in_source(source: str, tokens: Sequence[Token], link: str) -> str:
    """``source`` with each outermost spoiler's lines replaced by a notice.

    ``tokens`` are the parse of ``source``; their line maps say where each
    spoiler starts and ends, so quoting and list indentation are kept: a
    spoiler opened as ``> ::: spoiler`` becomes a quoted notice.
    """
    # Line numbers in the token maps count lines of markdown-it's normalised
    # source, where every line break is a "\n".
    lines = re.sub(r"\r\n?", "\n", source).split("\n")
    cut: list[tuple[int, int, str]] = []
    for first, _ in outermost(tokens):
        start, end = tokens[first].map or (0, 0)
        if end < len(lines) and _FENCE_LINE.fullmatch(lines[end]):
            end += 1  # the closing fence; an unclosed spoiler runs to the end
        opening = lines[start]
        prefix = opening[: opening.index(":::")] if ":::" in opening else ""
        text = notice(tokens[first].info) + (f": {link}" if link else "")
        cut.append((start, end, f"{prefix}[{text}]"))
    for start, end, replacement in reversed(cut):
        lines[start:end] = [replacement]
    return "\n".join(lines)
