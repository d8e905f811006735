"""The comment rules, as far as they apply to a webmention.

In order: a source, or an author address, on a blocked domain (the
discussion settings' list or a ``Block`` of kind domain, subdomains
included) is spam; a source domain
with an earlier approved webmention is approved, as a known commenter is;
anyone else is held when "hold a first comment" is on, approved otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from afterword.discussion.models import Block, DiscussionSettings

from .links import domain_of
from .models import Webmention


@dataclass(frozen=True)
class Verdict:
    status: str
    note: str = ""


def _suffixes(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[n:]) for n in range(len(parts))]


def blocked_domain(domain: str, policy: DiscussionSettings) -> str | None:
    """The block entry covering ``domain``, or None."""
    if not domain:
        return None
    suffixes = _suffixes(domain)
    for entry in policy.lines(policy.blocked_domains):
        entry = entry.lstrip("@.").removeprefix("www.")
        if entry in suffixes:
            return entry
    block = (
        Block.objects.filter(kind=Block.Kind.DOMAIN, value__in=suffixes)
        .values_list("value", flat=True)
        .first()
    )
    return block


def decide(mention: Webmention) -> Verdict:
    policy = DiscussionSettings.load()
    for domain in (mention.source_domain, domain_of(mention.author_url)):
        if entry := blocked_domain(domain, policy):
            return Verdict(Webmention.Status.SPAM, f"blocked domain: {entry}")
    known = (
        Webmention.objects.approved()
        .filter(source_domain=mention.source_domain)
        .exclude(pk=mention.pk)
        .exists()
    )
    if known:
        return Verdict(Webmention.Status.APPROVED, "known site")
    if policy.hold_first_comment:
        return Verdict(Webmention.Status.PENDING, "first webmention from this site")
    return Verdict(Webmention.Status.APPROVED)
