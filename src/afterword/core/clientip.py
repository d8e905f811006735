"""Who sent this request: the client's address, behind trusted proxies or not.

Rate limits (comment, contact and follow forms, and any later API) count per
client address, so that address must be one the client cannot choose.

Without a proxy the client is ``REMOTE_ADDR``, the peer of the TCP
connection. Behind nginx every connection comes from nginx, so the real
client is in the ``X-Forwarded-For`` header, which each proxy extends by
appending the address it received the request from. Everything to the left
of what a trusted proxy appended was written by someone else, in the end by
the client, and is worth nothing. The rule, with ``AFTERWORD_TRUSTED_PROXIES``
listing the addresses and networks of our own proxies:

1. Start from ``REMOTE_ADDR``. If it is not a trusted proxy, it is the client
   and the header is not read at all (anyone could send it).
2. Otherwise walk ``X-Forwarded-For`` from the right. Each element was
   appended by the hop to its right; skip elements that are trusted proxies
   themselves. The first address that is not a trusted proxy is the client.
3. Empty elements are skipped (nginx turns an empty client header into a
   leading ", "). An element that is not an address (``unknown``, a host
   name, an obfuscated RFC 7239 identifier, garbage) ends the walk: nothing
   to its left can be trusted, and the client is the last hop we reached.
   Likewise if every element is a trusted proxy.

Addresses are read leniently and written canonically: ``[2001:db8::1]:443``,
``2001:DB8:0::1`` and ``2001:db8::1`` are one client, ``203.0.113.9:5100`` is
``203.0.113.9``, an IPv4-mapped IPv6 address is its IPv4 address. Nothing in
the header can make :func:`client_ip` raise; its answer is always a valid
address (``0.0.0.0`` when even ``REMOTE_ADDR`` is missing), so it can be
stored in an IP address column.

IPv6 clients usually get a whole /64 each, so :func:`rate_limit_key` counts
them per /64: otherwise one reader could rotate through addresses and never
reach a limit.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
UNKNOWN = "0.0.0.0"
# Headers longer than this are read from the right only this far: a client
# cannot make each request cost more by sending a long list.
MAX_HOPS = 32
IPV6_CLIENT_PREFIX = 64
# Settings name of the left-most-header rule this module replaced; a site
# still setting it is stopped by the system check below.
OLD_SETTING = "AFTERWORD_TRUSTED_PROXY_HEADER"


def parse_address(text: str) -> IPAddress | None:
    """An address from a header or ``REMOTE_ADDR``, or None if it is not one.

    Accepts ``1.2.3.4``, ``1.2.3.4:80``, ``2001:db8::1``, ``[2001:db8::1]``,
    ``[2001:db8::1]:80`` and a zone suffix (``fe80::1%eth0``), which is
    dropped. IPv4-mapped IPv6 addresses come back as IPv4.
    """
    text = text.strip()
    if text.startswith("["):
        host, closing, rest = text[1:].partition("]")
        if not closing or (rest and not _is_port(rest)):
            return None
        text = host
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
        if not _is_port(":" + port):
            return None
        text = host
    text = text.partition("%")[0]
    if not text or not text.isascii():
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_port(text: str) -> bool:
    """``:`` followed by 1 to 5 ASCII digits."""
    digits = text[1:]
    return (
        text.startswith(":")
        and 0 < len(digits) <= 5
        and digits.isascii()
        and digits.isdigit()
    )


def parse_networks(entries: Iterable[str]) -> tuple[list[IPNetwork], list[str]]:
    """Networks from addresses or CIDR ranges, and the entries that were neither."""
    networks: list[IPNetwork] = []
    invalid: list[str] = []
    for entry in entries:
        entry = str(entry).strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            invalid.append(entry)
    return networks, invalid


def configured_entries() -> tuple[str, ...]:
    """``AFTERWORD_TRUSTED_PROXIES`` as a tuple of strings (a list, or commas)."""
    value = getattr(settings, "AFTERWORD_TRUSTED_PROXIES", ()) or ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(entry) for entry in value)


@lru_cache(maxsize=8)
def _networks_for(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    # Invalid entries are left out here and reported by the system check.
    return tuple(parse_networks(entries)[0])


def trusted_networks() -> tuple[IPNetwork, ...]:
    return _networks_for(configured_entries())


def is_trusted(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> IPAddress | None:
    """The client's address by the rule in the module docstring, or None."""
    peer = parse_address(str(request.META.get("REMOTE_ADDR", "") or ""))
    networks = trusted_networks()
    if peer is None or not networks or not is_trusted(peer, networks):
        return peer
    forwarded = str(request.META.get(FORWARDED_FOR, "") or "")
    client = peer
    for element in reversed(forwarded.rsplit(",", MAX_HOPS)[-MAX_HOPS:]):
        if not element.strip():
            continue
        hop = parse_address(element)
        if hop is None:
            break
        client = hop
        if not is_trusted(hop, networks):
            break
    return client


def client_ip(request) -> str:
    """The client's address as canonical text; see the module docstring."""
    address = client_address(request)
    return str(address) if address is not None else UNKNOWN


def rate_limit_key(address: str) -> str:
    """What a rate limit counts: the address, or its /64 for an IPv6 address."""
    parsed = parse_address(address)
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        network = ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False)
        return str(network)
    return str(parsed)


def check_trusted_proxies(app_configs=None, **kwargs) -> list:
    """System check: the old setting is refused, the new one must parse.

    Registered by ``afterword.core.apps``; runs before ``afterword serve``,
    ``setup_site`` and ``migrate``, so an upgrade stops with this message
    instead of quietly counting every reader as the proxy.
    """
    from django.core import checks

    problems = []
    if getattr(settings, OLD_SETTING, None):
        problems.append(
            checks.Error(
                f"{OLD_SETTING} is no longer read: it trusted the left-most "
                "X-Forwarded-For element, which the client writes.",
                hint="Remove it and set AFTERWORD_TRUSTED_PROXIES to the "
                "addresses of the proxies in front of the site, e.g. "
                "AFTERWORD_TRUSTED_PROXIES=127.0.0.1 (docs/deploy.md).",
                id="afterword.E001",
            )
        )
    _, invalid = parse_networks(configured_entries())
    if invalid:
        problems.append(
            checks.Error(
                "AFTERWORD_TRUSTED_PROXIES has entries that are neither an IP "
                f"address nor a network: {', '.join(map(repr, invalid))}.",
                hint="Use addresses or CIDR networks, e.g. 127.0.0.1, 10.0.0.0/8, ::1.",
                id="afterword.E002",
            )
        )
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
    if behind_proxy and not configured_entries():
        problems.append(
            checks.Warning(
                "AFTERWORD_BEHIND_PROXY is on but AFTERWORD_TRUSTED_PROXIES is "
                "empty: every request seems to come from the proxy, so all "
                "readers share one flood limit.",
                hint="Set AFTERWORD_TRUSTED_PROXIES to the proxy's address, "
                "e.g. 127.0.0.1 for nginx on the same machine.",
                id="afterword.W001",
            )
        )
    return problems
