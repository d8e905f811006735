"""Fetching a source and reading it (run by the ``verify_webmention`` task).

The fetch happens outside any transaction, through ``core.outbound`` in its
open-web mode (https only, public addresses only, unless the test-only
``AFTERWORD_FEDERATION_ALLOW_PRIVATE`` switch is on), capped in time and
size; what it found is then recorded by one ``webmention.verify`` action.
"""

from __future__ import annotations

from afterword.core import outbound

from . import microformats
from .actions import Fetched, VerifyWebmention
from .links import links_to, normalise
from .models import Webmention

PURPOSE = "webmention"
TIMEOUT = 10.0
MAX_BYTES = 1024 * 1024


def fetch(source: str, target: str) -> Fetched:
    try:
        response = outbound.get(
            source,
            purpose=PURPOSE,
            open_web=True,
            timeout=TIMEOUT,
            max_bytes=MAX_BYTES,
            headers={"Accept": "text/html, text/plain;q=0.5"},
        )
    except outbound.OutboundError as error:
        return Fetched(error=str(error))
    if response.status == 410:
        return Fetched(gone=True)
    if not response.ok:
        return Fetched(error=f"the source answered {response.status}")
    kind = response.headers.get_content_type()
    text = response.text
    if kind == "text/plain":
        return Fetched(links=normalise(target) in {normalise(w) for w in text.split()})
    if kind not in ("text/html", "application/xhtml+xml"):
        return Fetched(error=f"the source is {kind}, not a page")
    if not links_to(text, response.url, target):
        return Fetched(links=False)
    return Fetched(links=True, mention=microformats.read(text, response.url, target))


def verify(mention_id: int) -> Webmention | None:
    mention = Webmention.objects.filter(pk=mention_id).first()
    if mention is None:
        return None
    return VerifyWebmention(mention, fetch(mention.source, mention.target)).run()
