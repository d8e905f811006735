"""The Markdown pipeline: Markdown source in, sanitised HTML out.

Everything a reader sees that came from Markdown passes through
``render_markdown`` once, when it is saved; pages then print the stored HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from afterword.core.sanitize import clean_html


@dataclass
class ImageRef:
    src: str
    alt: str


@dataclass
class RenderedMarkdown:
    html: str
    plain_text: str
    images: list[ImageRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"linkify": False}).enable("table")


_TAGS = re.compile(r"<[^>]+>")


def render_markdown(source: str) -> RenderedMarkdown:
    md = _parser()
    tokens = md.parse(source or "")
    images = [
        ImageRef(src=child.attrGet("src") or "", alt=child.content)
        for token in tokens
        if token.children
        for child in token.children
        if child.type == "image"
    ]
    html = clean_html(md.renderer.render(tokens, md.options, {}))
    text = re.sub(r"\s+", " ", _TAGS.sub(" ", html)).strip()
    return RenderedMarkdown(html=html, plain_text=text, images=images)
