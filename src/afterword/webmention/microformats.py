"""What a verified source says about the target: microformats2 (mf2py).

The first ``h-entry`` of the page (top level or nested) is the mention. Its
``in-reply-to``, ``like-of``, ``repost-of`` or ``bookmark-of`` naming the
target makes it a reply, a like, a repost or a bookmark; anything else is a
plain mention. The author is the entry's ``author`` (an h-card or a name),
else the page's first h-card. The reply's content is kept as plain text:
no HTML from another site ever reaches our pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import mf2py
from django.utils.dateparse import parse_datetime

from .links import is_http_url, normalise

CONTENT_LIMIT = 5000
KINDS = (
    ("in-reply-to", "reply"),
    ("like-of", "like"),
    ("repost-of", "repost"),
    ("bookmark-of", "bookmark"),
)


@dataclass(frozen=True)
class Mention:
    kind: str = "mention"
    author_name: str = ""
    author_url: str = ""
    author_photo: str = ""
    content: str = ""
    url: str = ""
    published_at: datetime | None = None


def read(html: str, url: str, target: str) -> Mention:
    """The mention ``html`` (fetched from ``url``) makes of ``target``."""
    try:
        parsed = mf2py.parse(doc=html, url=url, html_parser="lxml")
    except Exception:
        return Mention(url=url)
    items = parsed.get("items", [])
    entry = _first(items, "h-entry")
    if entry is None:
        card = _first(items, "h-card")
        return Mention(url=url, **_author(card))
    props = entry.get("properties", {})
    wanted = normalise(target)
    kind = "mention"
    for prop, name in KINDS:
        if any(normalise(_url_of(value)) == wanted for value in props.get(prop, [])):
            kind = name
            break
    author = _first_value(props.get("author", []))
    card = author if isinstance(author, dict) else _first(items, "h-card")
    found = _author(card)
    if isinstance(author, str) and author:
        if is_http_url(author):
            found["author_url"] = found.get("author_url") or author
        else:
            found["author_name"] = found.get("author_name") or author
    own_url = _url_of(_first_value(props.get("url", []))) or url
    return Mention(
        kind=kind,
        content=_content(props, kind) if kind in ("reply", "mention") else "",
        url=own_url if is_http_url(own_url) else url,
        published_at=_date(_first_value(props.get("published", []))),
        **found,
    )


def _first(items: list, kind: str) -> dict | None:
    """The first item of ``kind``, looking into children and properties."""
    stack = list(items)
    while stack:
        item = stack.pop(0)
        if not isinstance(item, dict):
            continue
        if kind in item.get("type", []):
            return item
        stack.extend(item.get("children", []))
        for values in item.get("properties", {}).values():
            stack.extend(v for v in values if isinstance(v, dict) and "type" in v)
    return None


def _first_value(values: list):
    return values[0] if values else None


def _url_of(value) -> str:
    """A property value's address: a string, an h-cite's url, a u-* dict."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "properties" in value:
            return _url_of(_first_value(value["properties"].get("url", [])))
        return value.get("value", "") if isinstance(value.get("value"), str) else ""
    return ""


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("value", ""))
    return ""


def _author(card: dict | None) -> dict:
    if not card:
        return {}
    props = card.get("properties", {})
    url = _url_of(_first_value(props.get("url", [])))
    photo = _url_of(_first_value(props.get("photo", [])))
    return {
        "author_name": _text(_first_value(props.get("name", []))).strip()[:200],
        "author_url": url if is_http_url(url) else "",
        "author_photo": photo if is_http_url(photo) else "",
    }


def _content(props: dict, kind: str) -> str:
    """A reply's words; a plain mention's title (what a list of links shows)."""
    order = ("content", "summary", "name")
    if kind == "mention":
        order = ("name", "summary", "content")
    for name in order:
        value = _first_value(props.get(name, []))
        text = _text(value).strip()
        if text:
            return text[:CONTENT_LIMIT]
    return ""


def _date(value) -> datetime | None:
    text = _text(value).strip()
    if not text:
        return None
    try:
        found = parse_datetime(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if found is not None and found.tzinfo is None:
        return None
    return found
