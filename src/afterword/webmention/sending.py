"""Sending our posts' webmentions (run by the ``send_webmentions`` task).

Only a live public post sends, and only to other sites. Every http(s) link
of its rendered HTML is told, and so is every address it linked to at the
last send but no longer does (the spec asks that removed links be told).
A link already told about this exact HTML is skipped. Each target's
endpoint is discovered (``discovery``) and posted ``source`` and
``target`` as a form, keeping the endpoint's own query string.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from afterword.core import outbound
from afterword.core.actions import Action
from afterword.posts.models import Post
from afterword.posts.seo import absolute_url

from . import discovery, targets
from .links import digest, links_in
from .models import SentWebmention

TIMEOUT = 10.0
# Links told per send: each may cost two requests of up to TIMEOUT; a post
# with more (a link roundup) tells the first ones.
MAX_LINKS = 100


@dataclass(frozen=True)
class SendOutcome:
    target: str
    endpoint: str
    outcome: str
    status: int | None = None
    detail: str = ""
    linked: bool = True


class RecordSentWebmentions(Action):
    """Remember what sending a post's webmentions did, link by link."""

    name = "webmention.record_sent"

    def __init__(self, post, outcomes: list[SendOutcome], body_digest: str, **kw):
        super().__init__(**kw)
        self.post = post
        self.outcomes = outcomes
        self.body_digest = body_digest

    def execute(self) -> int:
        now = timezone.now()
        for outcome in self.outcomes:
            SentWebmention.objects.update_or_create(
                post=self.post,
                target=outcome.target[:2000],
                defaults={
                    "endpoint": outcome.endpoint[:2000],
                    "outcome": outcome.outcome,
                    "last_status": outcome.status,
                    "detail": outcome.detail[:300],
                    "linked": outcome.linked,
                    "body_digest": self.body_digest,
                    "sent_at": now,
                },
            )
        return len(self.outcomes)


def send_one(source: str, target: str, *, linked: bool = True) -> SendOutcome:
    try:
        found = discovery.discover(target)
    except outbound.OutboundError as error:
        return SendOutcome(target, "", "failed", detail=str(error), linked=linked)
    if not found.endpoint:
        return SendOutcome(target, "", "no-endpoint", linked=linked)
    if targets.is_ours(found.endpoint):
        return SendOutcome(
            target, found.endpoint, "failed", detail="our own endpoint", linked=linked
        )
    try:
        response = outbound.post(
            found.endpoint,
            purpose=discovery.PURPOSE,
            open_web=True,
            timeout=TIMEOUT,
            data={"source": source, "target": target},
            max_bytes=64 * 1024,
        )
    except outbound.OutboundError as error:
        return SendOutcome(
            target, found.endpoint, "failed", detail=str(error), linked=linked
        )
    outcome = "sent" if response.ok else "failed"
    return SendOutcome(
        target,
        found.endpoint,
        outcome,
        status=response.status,
        detail=response.content[:200].decode("utf-8", "replace"),
        linked=linked,
    )


def send(post_id: int) -> list[SendOutcome]:
    post = Post.objects.filter(pk=post_id).first()
    if post is None or not targets.is_public(post):
        return []
    source = absolute_url(post.get_absolute_url())
    now_digest = digest(post)
    current = [
        url for url in links_in(post.body_html, source) if not targets.is_ours(url)
    ][:MAX_LINKS]
    earlier = {row.target: row for row in SentWebmention.objects.filter(post=post)}
    outcomes = []
    for target in current:
        row = earlier.get(target)
        if row and row.linked and row.body_digest == now_digest:
            continue
        outcomes.append(send_one(source, target))
    for target, row in earlier.items():
        if target not in current and row.linked:
            outcomes.append(send_one(source, target, linked=False))
    if outcomes:
        RecordSentWebmentions(post, outcomes, now_digest).run()
    return outcomes
