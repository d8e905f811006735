"""The rules that make markdown-it-py speak Afterword's Markdown.

:func:`build_parser` assembles a parser per profile from the small modules of
this package; :func:`plain_text` reads the reader-visible text back out of the
sanitised HTML; :mod:`.spoilers` renders a document with its spoilers sealed
(and without them), and :func:`lead_figure` finds the figure listings show.
The public entry point is :mod:`afterword.core.markdown`.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from . import figures, footnotes, headings, links, spoilers, tables, video
from .lead import lead_figure
from .plaintext import plain_text

__all__ = ["build_parser", "lead_figure", "plain_text"]

# Comments keep the CommonMark rules a reply needs; these are switched off.
_COMMENT_DISABLED = [
    "heading",
    "lheading",
    "hr",
    "html_block",
    "html_inline",
    "image",
]


def build_parser(profile: str) -> MarkdownIt:
    """A fresh parser with Afterword's rules for ``profile``."""
    if profile == "comment":
        # A newline in a comment box is meant as a line break.
        md = MarkdownIt("commonmark", {"html": False, "breaks": True})
        md.disable(_COMMENT_DISABLED)
        spoilers.setup(md)
        links.setup(md)
        return md
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    footnote_plugin(md)
    footnotes.setup(md)
    spoilers.setup(md)
    video.setup(md)
    figures.setup(md)
    headings.setup(md)
    tables.setup(md)
    links.setup(md)
    return md
