"""Who the site will not hear from: blocked servers and accounts.

A domain block covers the server and its subdomains. Both lists are read
on every inbox POST and when deliveries are queued (a blocked server is
told nothing more).
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Block


def _covers(blocked: str, domain: str) -> bool:
    return domain == blocked or domain.endswith("." + blocked)


def blocked_domains(domains: Iterable[str]) -> set[str]:
    wanted = {domain.lower() for domain in domains if domain}
    if not wanted:
        return set()
    blocked = list(
        Block.objects.filter(kind=Block.Kind.DOMAIN).values_list("value", flat=True)
    )
    return {domain for domain in wanted if any(_covers(b, domain) for b in blocked)}


def is_blocked(actor_uri: str, domain: str) -> bool:
    if blocked_domains([domain]):
        return True
    return Block.objects.filter(kind=Block.Kind.ACTOR, value=actor_uri).exists()
