"""Figures: an image alone in its paragraph, with an optional caption line.

::

    ![A tank crosses a frozen river](/media/images/2024/05/tank.png)
    The opening shot of *Cannon Fodder*.

becomes ``<figure class="figure"><img …><figcaption>The opening shot of
<em>Cannon Fodder</em>.</figcaption></figure>``. An image inside a line of text
stays inline. This module also renders every image: alt text, the media
library's dimensions and ``srcset`` (through the image resolver), lazy loading.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .tokens import afterword_env, inline_text


def setup(md: MarkdownIt) -> None:
    md.core.ruler.push("afterword_figures", make_figures)
    md.add_render_rule("image", render_image)


def _image_part(children: list[Token]) -> int:
    """How many leading tokens form a lone image (or a linked image), or 0."""
    if children and children[0].type == "image":
        return 1
    if (
        len(children) >= 3
        and children[0].type == "link_open"
        and children[1].type == "image"
        and children[2].type == "link_close"
    ):
        return 3
    return 0


def make_figures(state: StateCore) -> None:
    tokens = state.tokens
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token.type == "paragraph_open"
            and not token.hidden
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
        ):
            figure = _figure(token, tokens[i + 1])
            if figure:
                result.extend(figure)
                i += 3
                continue
        result.append(token)
        i += 1
    state.tokens = result


def _figure(paragraph: Token, inline: Token) -> list[Token] | None:
    children = inline.children or []
    size = _image_part(children)
    if not size:
        return None
    rest = children[size:]
    if rest and rest[0].type not in {"softbreak", "hardbreak"}:
        return None  # text follows on the image's line: an inline image
    caption = rest[1:]
    image = children[size - 2] if size == 3 else children[0]
    image.meta["caption"] = inline_text(caption)
    level = paragraph.level
    figure_open = Token("figure_open", "figure", 1, block=True, level=level)
    figure_open.attrSet("class", "figure")
    figure_open.map = paragraph.map
    body = Token("inline", "", 0, block=True, level=level + 1)
    body.children = children[:size]
    tokens = [figure_open, body]
    if caption:
        text = Token("inline", "", 0, block=True, level=level + 2)
        text.children = caption
        tokens += [
            Token("figcaption_open", "figcaption", 1, block=True, level=level + 1),
            text,
            Token("figcaption_close", "figcaption", -1, block=True, level=level + 1),
        ]
    tokens.append(Token("figure_close", "figure", -1, block=True, level=level))
    return tokens


def render_image(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Render an ``<img>``, completed from the media library when it knows it."""
    token = tokens[idx]
    state = afterword_env(env)
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    resolver = state["image_resolver"]
    found = resolver(src) if resolver is not None else None
    if found is not None:
        if not alt.strip():
            alt = getattr(found, "alt", "") or ""
        for name in ("width", "height", "srcset", "sizes"):
            value = getattr(found, name, None)
            if value:
                token.attrSet(name, str(value))
    token.attrSet("alt", alt)
    # The first image is usually in view on arrival; the others can wait.
    if state["images"]:
        token.attrSet("loading", "lazy")
    token.attrSet("decoding", "async")
    if not alt.strip():
        state["warnings"].append(f"The image {src} has no alt text.")
    state["images"].append((src, alt, token.meta.get("caption", "")))
    return self.renderToken(tokens, idx, options, env)
