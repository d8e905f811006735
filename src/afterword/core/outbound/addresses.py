"""Which network addresses the site may connect to.

Only addresses on the public internet: ``ipaddress``'s ``is_global``,
tightened where that flag is too generous (multicast, the deprecated
IPv4-compatible and site-local IPv6 ranges) and applied to the IPv4 address
that an IPv4-mapped, NAT64 or 6to4 IPv6 address carries, since connecting to
``::ffff:127.0.0.1`` reaches 127.0.0.1.

Tests run their peers on loopback, so ``AFTERWORD_OUTBOUND_ALLOW`` names
exact ``host:port`` (or ``address:port``) pairs that may be reached although
they are not public. Each entry opens one port, never a range, so a test can
allow one server and still show that a redirect to its neighbour is refused.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the wrappers."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def is_public(address: Address | str) -> bool:
    """True when ``address`` is on the public internet (see the module's rule)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            return is_public(inner)
        # Global unicast is 2000::/3; is_global alone lets multicast,
        # site-local and the old IPv4-compatible ::a.b.c.d through.
        return ip in _GLOBAL_UNICAST and ip.is_global
    return ip.is_global and not (
        ip.is_multicast or ip.is_unspecified or ip.is_reserved or ip.is_loopback
    )


def literal(host: str) -> Address | None:
    """The address written in ``host`` (brackets already removed), or None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _endpoint(host: str, port: int) -> tuple[str, int]:
    ip = literal(host)
    return (str(ip) if ip is not None else host.lower(), port)


@dataclass(frozen=True)
class AllowList:
    """Exact ``host:port`` pairs that may be reached although not public."""

    endpoints: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def from_settings(cls) -> AllowList:
        entries = getattr(settings, "AFTERWORD_OUTBOUND_ALLOW", None) or []
        return cls(frozenset(parse_entry(entry) for entry in entries))

    def allows(self, host: str, address: Address, port: int) -> bool:
        """Whether this connection was named, by host name or by address."""
        return (
            _endpoint(host, port) in self.endpoints
            or (str(address), port) in self.endpoints
        )


def parse_entry(
    entry: str, setting: str = "AFTERWORD_OUTBOUND_ALLOW"
) -> tuple[str, int]:
    """``host:port``, ``1.2.3.4:port`` or ``[::1]:port`` as (host, port)."""
    host, _, port = entry.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            f"{setting}: {entry!r} is not host:port "
            "(for example 127.0.0.1:8001 or [::1]:8001)."
        )
    return _endpoint(host, int(port))
