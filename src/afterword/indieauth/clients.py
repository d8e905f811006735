"""What a client says about itself at its ``client_id`` address.

The consent page is clearer with the app's own name (and logo), and an app
whose ``redirect_uri`` is on another host than its ``client_id`` must have
published that address. Both come from fetching ``client_id``: a JSON
metadata document (``client_name``, ``logo_uri``, ``redirect_uris``), or an
HTML page with an ``h-app`` (``p-name``, ``u-logo``, ``u-url``) and
``<link rel="redirect_uri">`` tags or ``Link`` headers.

Fetching is a courtesy: it goes through ``core.outbound`` (public addresses
only, a short deadline, a small body), and any failure leaves a
:class:`ClientInfo` with only the ``client_id``, so the writer still sees the
app's address and the flow goes on. Answers are kept for ten minutes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.core.cache import cache

from afterword.core import outbound

TIMEOUT = 4.0
MAX_BYTES = 512 * 1024
KEEP_SECONDS = 600
# Tags that never hold others (nothing to pop when they end).
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"source", "track", "wbr"}
)
_LINK_ENTRY = re.compile(r"<([^>]*)>\s*((?:;[^,<]*)*)")
_REL = re.compile(r";\s*rel\s*=\s*\"?([^\";]+)\"?", re.IGNORECASE)


@dataclass(frozen=True)
class ClientInfo:
    client_id: str
    name: str = ""
    url: str = ""
    logo: str = ""
    redirect_uris: tuple[str, ...] = ()


def describe_client(client_id: str) -> ClientInfo:
    """The client's own description, from the cache or fetched now."""
    key = "indieauth:client:" + hashlib.sha256(client_id.encode()).hexdigest()
    found = cache.get(key)
    if isinstance(found, ClientInfo):
        return found
    info = _fetch(client_id)
    cache.set(key, info, KEEP_SECONDS)
    return info


def _fetch(client_id: str) -> ClientInfo:
    try:
        answer = outbound.get(
            client_id,
            purpose="IndieAuth client",
            headers={"Accept": "application/json, text/html;q=0.9"},
            timeout=TIMEOUT,
            max_bytes=MAX_BYTES,
        )
    except outbound.OutboundError:
        return ClientInfo(client_id)
    if not answer.ok:
        return ClientInfo(client_id)
    header_uris = _link_header_redirects(
        answer.headers.get_all("Link") or [], answer.url
    )
    kind = answer.headers.get_content_type()
    if kind == "application/json":
        info = _from_json(client_id, answer)
    elif kind in ("text/html", "application/xhtml+xml"):
        info = _from_html(client_id, answer)
    else:
        info = ClientInfo(client_id)
    if header_uris:
        merged = tuple(dict.fromkeys(info.redirect_uris + header_uris))
        info = ClientInfo(info.client_id, info.name, info.url, info.logo, merged)
    return info


def _text(value, limit: int = 200) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _logo(value: str) -> str:
    # The consent page's policy loads images from this site or over https.
    return value if value.startswith("https://") else ""


def _from_json(client_id: str, answer: outbound.Response) -> ClientInfo:
    try:
        document = answer.json()
    except outbound.OutboundError:
        return ClientInfo(client_id)
    if not isinstance(document, dict) or document.get("client_id") != client_id:
        # A document about another client says nothing about this one.
        return ClientInfo(client_id)
    uris = document.get("redirect_uris")
    return ClientInfo(
        client_id,
        name=_text(document.get("client_name")),
        url=_text(document.get("client_uri"), 500),
        logo=_logo(_text(document.get("logo_uri"), 500)),
        redirect_uris=tuple(u for u in uris if isinstance(u, str))
        if isinstance(uris, list)
        else (),
    )


def _from_html(client_id: str, answer: outbound.Response) -> ClientInfo:
    page = _ClientPage(answer.url)
    page.feed(answer.text)
    page.close()
    return ClientInfo(
        client_id,
        name=_text(page.name),
        url=page.app_url,
        logo=_logo(page.logo),
        redirect_uris=tuple(dict.fromkeys(page.redirect_uris)),
    )


def _link_header_redirects(values: list[str], base: str) -> tuple[str, ...]:
    found = []
    for value in values:
        for target, params in _LINK_ENTRY.findall(value):
            rel = _REL.search(params)
            if rel and "redirect_uri" in rel.group(1).split():
                found.append(urljoin(base, target.strip()))
    return tuple(found)


class _ClientPage(HTMLParser):
    """The first ``h-app`` (or ``h-x-app``) and every ``rel=redirect_uri`` link."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.depth = 0
        self.app_depth: int | None = None
        self.name_depth: int | None = None
        self.app_done = False
        self.name = ""
        self.logo = ""
        self.app_url = ""
        self.redirect_uris: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        rels = (values.get("rel") or "").split()
        if tag in ("link", "a") and "redirect_uri" in rels and values.get("href"):
            self.redirect_uris.append(urljoin(self.base, values["href"]))
        inside = self.app_depth is not None
        if not inside and not self.app_done and {"h-app", "h-x-app"} & set(classes):
            self.app_depth = self.depth
            inside = True
        if inside:
            self._app_property(tag, values, classes)
        if tag not in _VOID:
            self.depth += 1

    def _app_property(self, tag, values, classes):
        if "p-name" in classes and not self.name and self.name_depth is None:
            self.name_depth = self.depth
        if "u-logo" in classes and not self.logo:
            source = values.get("src") or values.get("href") or ""
            self.logo = urljoin(self.base, source) if source else ""
        if "u-url" in classes and not self.app_url and values.get("href"):
            self.app_url = urljoin(self.base, values["href"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if self.name_depth is not None and self.depth <= self.name_depth:
            self.name_depth = None
        if self.app_depth is not None and self.depth <= self.app_depth:
            self.app_depth = None
            self.app_done = True

    def handle_data(self, data):
        if self.name_depth is not None:
            self.name += data
