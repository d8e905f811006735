"""Click-to-load video embeds from a bare YouTube or Vimeo URL.

A URL alone on its line becomes::

    <div class="video-embed" data-provider="youtube" data-video-id="ID">
      <a class="video-embed-link" href="https://www.youtube.com/watch?v=ID">
        Play video on YouTube</a></div>

No iframe and no thumbnail: nothing reaches the video site until the reader
clicks. ``theme/static/afterword/embeds.js`` then swaps the link for the
player; without JavaScript the link simply opens the video site. Video ids are
checked against strict patterns, so the URL can inject nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .tokens import afterword_env, make_paragraph, paragraph_lines

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,12}")

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_YOUTUBE_PATH = re.compile(r"/(?:shorts|embed|live)/([^/]+)/?")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
_VIMEO_PATH = re.compile(r"/(?:channels/[\w-]+/)?([^/]+)/?")
_PLAYER_PATH = re.compile(r"/video/([^/]+)/?")

PROVIDERS = {
    "youtube": ("YouTube", "https://www.youtube.com/watch?v={id}"),
    "vimeo": ("Vimeo", "https://vimeo.com/{id}"),
}


@dataclass(frozen=True)
class Video:
    provider: str
    id: str

    @property
    def url(self) -> str:
        return PROVIDERS[self.provider][1].format(id=self.id)


class NotAVideo(ValueError):
    """A URL on a video site that names no valid video."""


def parse_video_url(url: str) -> Video | None:
    """The video a URL points to; None for other sites.

    Raises :class:`NotAVideo` for a YouTube/Vimeo URL whose id is malformed.
    """
    if any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # a malformed host such as "https://[oops"
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    candidate: str | None = None
    if host in _YOUTUBE_HOSTS or host == "www.youtube-nocookie.com":
        provider, pattern = "youtube", YOUTUBE_ID
        if parts.path in {"/watch", "/watch/"}:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif match := _YOUTUBE_PATH.fullmatch(parts.path):
            candidate = match[1]
    elif host == "youtu.be":
        provider, pattern = "youtube", YOUTUBE_ID
        candidate = parts.path.strip("/")
    elif host in _VIMEO_HOSTS:
        provider, pattern = "vimeo", VIMEO_ID
        if match := _VIMEO_PATH.fullmatch(parts.path):
            candidate = match[1]
    elif host == "player.vimeo.com":
        provider, pattern = "vimeo", VIMEO_ID
        if match := _PLAYER_PATH.fullmatch(parts.path):
            candidate = match[1]
    else:
        return None
    if candidate is None or not pattern.fullmatch(candidate):
        raise NotAVideo(url)
    return Video(provider, candidate)


def setup(md: MarkdownIt) -> None:
    md.core.ruler.push("afterword_video", make_embeds)
    md.add_render_rule("video_embed", render_embed)


def _line_url(line: list[Token]) -> str | None:
    """The URL a line consists of (bare or ``<autolink>``), if that is all."""
    if len(line) == 3 and line[0].type == "link_open" and line[0].markup == "autolink":
        return str(line[0].attrGet("href"))
    if line and all(t.type == "text" for t in line):
        text = "".join(t.content for t in line).strip()
        if text.startswith(("http://", "https://")):
            return text
    return None


def make_embeds(state: StateCore) -> None:
    warnings = afterword_env(state.env)["warnings"]
    tokens = state.tokens
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "paragraph_open" and not token.hidden:
            replaced = _split_paragraph(token, tokens[i + 1], warnings)
            if replaced is not None:
                result.extend(replaced)
                i += 3
                continue
        result.append(token)
        i += 1
    state.tokens = result


def _split_paragraph(
    paragraph: Token, inline: Token, warnings: list[str]
) -> list[Token] | None:
    """The paragraph with each video line cut out as an embed, or None."""
    lines = paragraph_lines(inline.children or [])
    videos: list[Video | None] = []
    for line in lines:
        url = _line_url(line)
        video = None
        if url:
            try:
                video = parse_video_url(url)
            except NotAVideo:
                warnings.append(
                    f"{url} does not look like a video Afterword can embed."
                )
        videos.append(video)
    if not any(videos):
        return None
    result: list[Token] = []
    pending: list[Token] = []
    for line, video in zip(lines, videos, strict=True):
        if video is None:
            if pending:
                pending.append(Token("softbreak", "br", 0))
            pending.extend(line)
            continue
        if pending:
            result.extend(make_paragraph(paragraph, pending))
            pending = []
        embed = Token("video_embed", "div", 0, block=True, level=paragraph.level)
        embed.meta["video"] = video
        embed.map = paragraph.map
        result.append(embed)
    if pending:
        result.extend(make_paragraph(paragraph, pending))
    return result


def render_embed(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    video: Video = tokens[idx].meta["video"]
    name = PROVIDERS[video.provider][0]
    return (
        f'<div class="video-embed" data-provider="{video.provider}"'
        f' data-video-id="{escapeHtml(video.id)}">'
        f'<a class="video-embed-link" href="{escapeHtml(video.url)}" rel="noopener">'
        f"Play video on {name}</a></div>\n"
    )
