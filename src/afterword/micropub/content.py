"""A Micropub ``content`` value as a post's Markdown body, and back.

Posts store Markdown, and Markdown allows raw HTML, which the pipeline
sanitises on every save (``core.markdown`` → ``core.sanitize``). So:

- plain content (``"content": ["Hello"]``, ``{"value": "Hello"}``) is the
  body as sent: Markdown is the site's own format, and most plain text
  reads the same in it;
- HTML content (``{"html": "<p>Hello</p>"}``) is sanitised with the site's
  one allow-list and stored as a single raw HTML block wrapped in
  ``<div>``, with no blank line inside (each one carries an ``&#10;``
  instead, which is the same newline to a browser), so CommonMark never
  reads the writer's text as Markdown: an asterisk stays an asterisk.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from afterword.core.sanitize import clean_html

from .errors import invalid

HTML_OPEN = "<div>\n"
HTML_CLOSE = "\n</div>"
# A line holding only spaces, with its newline: CommonMark ends an HTML
# block there.
_BLANK_LINE = re.compile(r"^([ \t]*)\n", re.MULTILINE)
TITLE_WORDS = 8


def html_block(html: str) -> str:
    """Sanitised ``html`` as one raw HTML block of Markdown."""
    cleaned = clean_html(html.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned:
        return ""
    return HTML_OPEN + _BLANK_LINE.sub(r"\1&#10;", cleaned) + HTML_CLOSE


def is_html_body(body: str) -> bool:
    """Whether ``body`` starts with a block written by :func:`html_block`."""
    return body.startswith(HTML_OPEN)


def body_from(value: Any) -> str:
    """The Markdown for one ``content`` value (string, ``{"html"}``,
    ``{"value"}``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, dict):
        if isinstance(value.get("html"), str):
            return html_block(value["html"])
        if isinstance(value.get("value"), str):
            return value["value"].replace("\r\n", "\n").strip()
    raise invalid(_('content must be a string, {"html": …} or {"value": …}.'))


def plain_text(value: Any) -> str:
    """Readable words of a ``content`` value, for a title."""
    if isinstance(value, dict):
        html = value.get("html")
        value = value.get("value") or (
            unescape(strip_tags(clean_html(html))) if isinstance(html, str) else ""
        )
    return " ".join(str(value or "").split())


def title_for(name: Any, content: Any, *, has_photos: bool) -> str:
    """The post's title: its ``name``, else the opening words of its content
    (a note has no name), else "Photo" or "Note"."""
    if isinstance(name, str) and name.strip():
        return " ".join(name.split())[:300]
    words = plain_text(content)
    if words:
        return Truncator(words).words(TITLE_WORDS, truncate="…")[:300]
    return _("Photo") if has_photos else _("Note")


def join_body(*parts: str) -> str:
    """Markdown blocks one after another, a blank line between them."""
    return "\n\n".join(part.strip("\n") for part in parts if part and part.strip())
