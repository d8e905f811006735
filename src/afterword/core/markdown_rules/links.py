"""The ``rel`` of links: commenters' links are untrusted, writers' are not.

In comments every link gets ``rel="nofollow ugc noopener"`` (the sanitiser
enforces it too). In posts, links leaving the site get ``rel="noopener"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .tokens import afterword_env

COMMENT_REL = "nofollow ugc noopener"


def setup(md: MarkdownIt) -> None:
    md.add_render_rule("link_open", render_link_open)


def is_external(href: str) -> bool:
    """Whether ``href`` leaves the site (an absolute URL to another host)."""
    try:
        parts = urlsplit(href)
    except ValueError:  # a malformed host such as "http://[oops"
        return False
    if parts.scheme not in {"http", "https"}:
        return False
    return parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower()


def render_link_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    if afterword_env(env)["profile"] == "comment":
        token.attrSet("rel", COMMENT_REL)
    elif token.attrGet("rel") is None and is_external(str(token.attrGet("href"))):
        token.attrSet("rel", "noopener")
    return self.renderToken(tokens, idx, options, env)
