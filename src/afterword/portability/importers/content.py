"""Turn WordPress post and comment HTML into Afterword's Markdown source.

A post body is stored as Markdown, and Markdown allows raw HTML, so most of
WordPress's HTML is kept as HTML (the pipeline sanitises it on save). What
changes:

- classic-editor text gets WordPress's ``wpautop`` treatment: blank lines
  separate paragraphs, single newlines inside a paragraph become ``<br>``;
- ``[caption]`` shortcodes and Gutenberg image blocks with a caption become
  our figure syntax (an image line followed by its caption line);
- a YouTube or Vimeo address alone on its line, an ``[embed]`` shortcode or an
  embed block becomes our click-to-load video line;
- ``<!--more-->`` splits the lead (returned separately, for the excerpt);
- other shortcodes are left in the text, visibly, and reported.

Every HTML stretch is written with no blank line inside it, so CommonMark
reads it as one raw HTML block and never reinterprets an asterisk or a
leading ``1.`` in a writer's prose as Markdown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from afterword.core.markdown_rules.video import NotAVideo, parse_video_url

UrlMapper = Callable[[str], str]

MORE = re.compile(r"<!--more(.*?)?-->", re.IGNORECASE)
PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
CAPTION = re.compile(
    r"\[(?:wp_)?caption\b([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.DOTALL
)
EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL)
SHORTCODE = re.compile(r"\[([a-z][a-z0-9_-]*)(\s[^\]]*)?\]")
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
LINK_OPEN = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
URL_ATTR = re.compile(r"""\b(src|href)=(["'])([^"']+)\2""", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
PRE_KEY = re.compile(r"\x00PRE(\d+)\x00")
BLANK_LINES = re.compile(r"\n\s*\n")
BARE_URL = re.compile(r"^https?://\S+$")
BLOCK_COMMENT = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)"
    r"(?:\s+(\{.*?\}))?\s*(/)?-->",
    re.DOTALL,
)
FIGCAPTION = re.compile(
    r"<figcaption[^>]*>(.*?)</figcaption>", re.IGNORECASE | re.DOTALL
)
# Tags that open a CommonMark raw HTML block (type 6): a chunk starting with
# one of them is kept as it is; anything else is wrapped in a paragraph.
BLOCK_START = re.compile(
    r"^<(?:address|article|aside|blockquote|center|details|dialog|div|dl|"
    r"fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|iframe|li|main|"
    r"nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)[\s/>]",
    re.IGNORECASE,
)
# Shortcodes WordPress itself (or WordPress.com) ships; other bracketed words
# count as shortcodes only when they look like one (attributes or a closer).
KNOWN_SHORTCODES = frozenset(
    {
        "audio", "gallery", "playlist", "video", "wpvideo", "youtube", "vimeo",
        "googlemaps", "soundcloud", "spotify", "tweet", "instagram", "archives",
        "sourcecode", "code", "polldaddy", "slideshow", "recipe", "contact-form",
    }
)  # fmt: skip
_MD_CAPTION_START = re.compile(r"^(\d*)([#>+*=`~|-]|(?<=\d)[.)])")


@dataclass
class Converted:
    """A converted body: Markdown source, lead before ``<!--more-->``, notes."""

    body: str
    lead: str = ""
    shortcodes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _identity(url: str) -> str:
    return url


def attributes(tag: str) -> dict[str, str]:
    """The attributes of one HTML (or shortcode) opening tag, unescaped."""
    found = {}
    for name, double, single, bare in ATTR.findall(tag):
        found[name.lower()] = html.unescape(double or single or bare)
    return found


def text_of(fragment: str) -> str:
    """Plain text of an HTML fragment, on one line."""
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _md_alt(alt: str) -> str:
    alt = " ".join(alt.split())
    return alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def figure(
    img_tag: str, caption_html: str, link_tag: str | None, mapper: UrlMapper
) -> tuple[str, str | None]:
    """Our figure syntax for one image; also a warning when alt text was missing."""
    attrs = attributes(img_tag)
    src = mapper(attrs.get("src", ""))
    caption = " ".join(caption_html.split())
    alt = attrs.get("alt", "").strip()
    warning = None
    if not alt:
        # Publishing needs alt text; the caption (or the file name) is the best
        # description WordPress kept. Say so, so the writer can improve it.
        alt = text_of(caption) or attrs.get("title", "") or src.rsplit("/", 1)[-1]
        warning = f"Image {src} had no alt text; used {alt!r}."
    image = f"![{_md_alt(alt)}]({_md_url(src)})"
    if link_tag:
        href = mapper(attributes(link_tag).get("href", ""))
        if href:
            image = f"[{image}]({_md_url(href)})"
    caption = _MD_CAPTION_START.sub(r"\1\\\2", caption, count=1)
    return (f"{image}\n{caption}" if caption else image), warning


def _video_line(url: str) -> str | None:
    try:
        video = parse_video_url(url.strip())
    except NotAVideo:
        return None
    return video.url if video else None


def _link_paragraph(url: str) -> str:
    safe = html.escape(url.strip(), quote=True)
    return f'<p><a href="{safe}">{safe}</a></p>'


class _Chunks:
    """Collects the body as alternating raw-HTML runs and Markdown blocks."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []

    def html(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if not BLOCK_START.match(text):
            text = f"<div>{text}</div>"
        text = BLANK_LINES.sub("\n", text)
        if self.blocks and self.blocks[-1][0] == "html":
            self.blocks[-1] = ("html", self.blocks[-1][1] + "\n" + text)
        else:
            self.blocks.append(("html", text))

    def markdown(self, text: str) -> None:
        self.blocks.append(("md", text.strip()))

    def render(self) -> str:
        return "\n\n".join(text for _, text in self.blocks)


def _protect_pre(text: str, saved: list[str]) -> str:
    def keep(match: re.Match) -> str:
        # Inside <pre> a blank line would end the raw HTML block early; an
        # empty span keeps the line non-blank and disappears when sanitised.
        saved.append(re.sub(r"\n[ \t]*(?=\n)", "\n<span></span>", match.group(0)))
        return f"\n\n\x00PRE{len(saved) - 1}\x00\n\n"

    return PRE.sub(keep, text)


def _restore_pre(text: str, saved: list[str]) -> str:
    return PRE_KEY.sub(lambda m: saved[int(m.group(1))], text)


def _autop_chunk(chunk: str, out: _Chunks, markdown: dict[str, str]) -> None:
    stripped = chunk.strip()
    if stripped in markdown:
        out.markdown(markdown[stripped])
        return
    if BARE_URL.match(stripped):
        video = _video_line(stripped)
        if video:
            out.markdown(video)
        else:
            out.html(_link_paragraph(html.unescape(stripped)))
        return
    if BLOCK_START.match(stripped):
        out.html(stripped)
        return
    out.html("<p>" + stripped.replace("\n", "<br>\n") + "</p>")


def _classic(text: str, out: _Chunks, mapper: UrlMapper, warnings: list[str]) -> None:
    """wpautop-like paragraphs, with captions and embeds as Markdown blocks."""
    markdown: dict[str, str] = {}

    def placeholder(value: str) -> str:
        key = f"\x00MD{len(markdown)}\x00"
        markdown[key] = value
        return f"\n\n{key}\n\n"

    def caption(match: re.Match) -> str:
        attrs = attributes(match.group(1))
        inner = match.group(2)
        img = IMG.search(inner)
        if img is None:
            return inner
        before = inner[: img.start()].strip()
        link = LINK_OPEN.fullmatch(before) if before else None
        after = inner[img.end() :]
        if link is not None:
            after = re.sub(r"^\s*</a>", "", after)
        caption_html = attrs.get("caption") or after.strip()
        md, warning = figure(img.group(0), caption_html, link and link.group(0), mapper)
        if warning:
            warnings.append(warning)
        return placeholder(md)

    def embed(match: re.Match) -> str:
        url = html.unescape(match.group(1).strip())
        video = _video_line(url)
        return placeholder(video) if video else f"\n\n{_link_paragraph(url)}\n\n"

    saved: list[str] = []
    text = _protect_pre(text, saved)
    text = CAPTION.sub(caption, text)
    text = EMBED.sub(embed, text)
    for chunk in BLANK_LINES.split(text):
        if chunk.strip():
            if PRE_KEY.fullmatch(chunk.strip()):
                out.html(_restore_pre(chunk, saved))
            else:
                _autop_chunk(_restore_pre(chunk, saved), out, markdown)


def _blocks(text: str, out: _Chunks, mapper: UrlMapper, warnings: list[str]) -> None:
    """Gutenberg content: handle each top-level block by its type."""
    depth = 0
    position = 0
    opening: tuple[str, dict, int, int] | None = None
    for match in BLOCK_COMMENT.finditer(text):
        closing, name, attrs_json, self_closing = match.groups()
        if depth == 0:
            if not closing:
                freeform = text[position : match.start()]
                if freeform.strip():
                    _classic(freeform, out, mapper, warnings)
            if self_closing and not closing:
                _top_block(name, _json(attrs_json), "", out, mapper, warnings)
                position = match.end()
                continue
        if closing:
            depth -= 1
            if depth == 0 and opening is not None:
                block_name, attrs, start, _ = opening
                inner = text[start : match.start()]
                _top_block(block_name, attrs, inner, out, mapper, warnings)
                opening = None
                position = match.end()
            depth = max(depth, 0)
        elif not self_closing:
            if depth == 0:
                opening = (name, _json(attrs_json), match.end(), match.start())
            depth += 1
    rest = text[position:] if opening is None else text[opening[3] :]
    if rest.strip():
        _classic(BLOCK_COMMENT.sub("", rest), out, mapper, warnings)


def _json(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _top_block(
    name: str,
    attrs: dict,
    inner: str,
    out: _Chunks,
    mapper: UrlMapper,
    warnings: list[str],
) -> None:
    name = name.removeprefix("core/")
    inner_html = BLOCK_COMMENT.sub("", inner).strip()
    if name == "embed" or name.startswith("core-embed/"):
        url = str(attrs.get("url") or text_of(inner_html))
        video = _video_line(url)
        if video:
            out.markdown(video)
        elif url:
            out.html(_link_paragraph(url))
        return
    if name == "image":
        img = IMG.search(inner_html)
        caption = FIGCAPTION.search(inner_html)
        if img and caption:
            link = LINK_OPEN.search(inner_html[: img.start()])
            md, warning = figure(
                img.group(0), caption.group(1).strip(), link and link.group(0), mapper
            )
            if warning:
                warnings.append(warning)
            out.markdown(md)
            return
    if name == "freeform" or name == "shortcode":
        _classic(inner_html, out, mapper, warnings)
        return
    if not inner_html:
        if name in ("more", "nextpage"):
            return  # the excerpt break is handled before the blocks
        warnings.append(f"Block wp:{name} has no stored content and was left out.")
        return
    saved: list[str] = []
    out.html(_restore_pre(_protect_pre(inner_html, saved), saved))


def find_shortcodes(text: str) -> list[str]:
    """Names of shortcodes left in ``text`` (the ones we do not convert)."""
    found = []
    for match in SHORTCODE.finditer(text):
        name, args = match.group(1), match.group(2) or ""
        if name in {"caption", "wp_caption", "embed"}:
            continue
        if name in KNOWN_SHORTCODES or "=" in args or f"[/{name}]" in text:
            found.append(name)
    return sorted(set(found))


def map_urls(text: str, mapper: UrlMapper) -> str:
    """Point ``src``/``href`` attributes of moved files at their new address."""

    def replace(match: re.Match) -> str:
        new = mapper(html.unescape(match.group(3)))
        quote = match.group(2)
        return f"{match.group(1)}={quote}{html.escape(new, quote=True)}{quote}"

    return URL_ATTR.sub(replace, text)


def convert_post(content: str, mapper: UrlMapper = _identity) -> Converted:
    """Convert one post's ``content:encoded`` into Markdown source."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    warnings: list[str] = []
    lead = ""
    more = MORE.search(content)
    if more:
        lead_html = content[: more.start()]
        lead_html = re.sub(r"(?m)^\s*https?://\S+\s*$", "", lead_html)
        lead = text_of(BLOCK_COMMENT.sub("", CAPTION.sub("", lead_html)))
        content = content[: more.start()] + "\n\n" + content[more.end() :]
    shortcodes = find_shortcodes(content)
    out = _Chunks()
    if BLOCK_COMMENT.search(content):
        _blocks(content, out, mapper, warnings)
    else:
        _classic(content, out, mapper, warnings)
    body = "\n\n".join(
        map_urls(text, mapper) if kind == "html" else text for kind, text in out.blocks
    )
    return Converted(body=body, lead=lead, shortcodes=shortcodes, warnings=warnings)


_COMMENT_INLINE = [
    (re.compile(r"<(strong|b)>(.*?)</\1>", re.I | re.S), r"**\2**"),
    (re.compile(r"<(em|i)>(.*?)</\1>", re.I | re.S), r"*\2*"),
    (re.compile(r"<code>(.*?)</code>", re.I | re.S), r"`\1`"),
    (re.compile(r"<br\s*/?>", re.I), "\n"),
    (re.compile(r"</?p\b[^>]*>", re.I), "\n\n"),
]
_COMMENT_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.I | re.S)
_COMMENT_QUOTE = re.compile(r"<blockquote\b[^>]*>(.*?)</blockquote>", re.I | re.S)


def convert_comment(content: str) -> str:
    """A WordPress comment's HTML as our comment Markdown (a small subset)."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")

    def link(match: re.Match) -> str:
        href = attributes(match.group(1)).get("href", "")
        label = text_of(match.group(2)) or href
        return f"[{_md_alt(label)}]({_md_url(href)})" if href else label

    def quote(match: re.Match) -> str:
        inner = match.group(1).strip()
        return "\n\n" + "\n".join(f"> {line}" for line in inner.splitlines()) + "\n\n"

    text = _COMMENT_QUOTE.sub(quote, text)
    text = _COMMENT_LINK.sub(link, text)
    for pattern, replacement in _COMMENT_INLINE:
        text = pattern.sub(replacement, text)
    text = html.unescape(TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
