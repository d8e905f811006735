"""Fetching a source and reading it (run by the ``verify_webmention`` task).

The fetch happens outside any transaction, through ``core.outbound`` in its
open-web mode (https only, public addresses only, unless the test-only
``AFTERWORD_FEDERATION_ALLOW_PRIVATE`` switch is on), capped in time and
size; what it found is then recorded by one ``webmention.verify`` action.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from afterword.core import outbound
from afterword.core.actions import Action

from . import microformats, moderation
from .links import links_to, normalise
from .microformats import Mention
from .models import Webmention

PURPOSE = "webmention"
TIMEOUT = 10.0
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    """What fetching a source gave: ``gone`` (410), ``error`` (unreachable,
    too large, another failing status), else whether it links to the target
    and what it says."""

    gone: bool = False
    error: str = ""
    links: bool = False
    mention: Mention | None = None


class VerifyWebmention(Action):
    name = "webmention.verify"

    def __init__(self, mention: Webmention, fetched: Fetched, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mention = mention
        self.fetched = fetched

    def execute(self) -> Webmention | None:
        mention = Webmention.objects.select_for_update().filter(pk=self.mention.pk)
        mention = mention.first()
        if mention is None:
            return None
        fetched = self.fetched
        if fetched.gone or (not fetched.error and not fetched.links):
            if fetched.gone or mention.verified_at is not None:
                # The spec: a deleted source, or one that stopped linking,
                # takes its webmention away.
                mention.delete()
                return None
            mention.status = Webmention.Status.FAILED
            mention.note = "the source does not link to the target"
            mention.save()
            return mention
        if fetched.error:
            # A passing failure does not undo an earlier verification.
            if mention.verified_at is None:
                mention.status = Webmention.Status.FAILED
            mention.note = fetched.error[:300]
            mention.save()
            return mention
        found = fetched.mention or Mention(url=mention.source)
        mention.kind = found.kind
        mention.author_name = found.author_name
        mention.author_url = found.author_url[:2000]
        mention.author_photo = found.author_photo[:2000]
        mention.content = found.content
        mention.url = found.url[:2000]
        mention.published_at = found.published_at
        mention.verified_at = timezone.now()
        if mention.status in (Webmention.Status.UNVERIFIED, Webmention.Status.FAILED):
            verdict = moderation.decide(mention)
            mention.status = verdict.status
            mention.note = verdict.note
        mention.save()
        return mention


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
