"""Heading anchors: every heading gets a stable id made from its text.

``## The score`` becomes ``<h2 id="the-score">``; a second heading with the
same text gets ``the-score-2``. Ids depend only on the heading texts, so links
to a section survive edits elsewhere in the post.
"""

from __future__ import annotations

import re

from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .spoilers import ANCHOR as _SPOILER_ID
from .tokens import afterword_env, inline_text

# Ids the theme's pages use for their own landmarks; a heading never takes them.
RESERVED_IDS = frozenset(
    {"main", "content", "comments", "respond", "search", "footnotes", "top"}
)
# Footnotes own ids such as "fn1" and "fnref2" (and spoilers "spoiler-1").
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?[0-9]+")


def setup(md: MarkdownIt) -> None:
    md.core.ruler.push("afterword_headings", anchor_headings)


def anchor_headings(state: StateCore) -> None:
    headings = afterword_env(state.env)["headings"]
    taken = set(RESERVED_IDS)
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or i + 1 >= len(tokens):
            continue
        text = inline_text(tokens[i + 1].children)
        base = slugify(text, allow_unicode=True) or "section"
        anchor, n = base, 1
        while (
            anchor in taken
            or _FOOTNOTE_ID.fullmatch(anchor)
            or _SPOILER_ID.fullmatch(anchor)
        ):
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        token.attrSet("id", anchor)
        headings.append((int(token.tag[1]), anchor, text))
