"""Host names to addresses: the system resolver, or a name server from settings.

``AFTERWORD_OUTBOUND_NAMESERVER`` (``address:port``) sends the questions to
one name server with dnspython instead of the system's resolver. It exists
so tests can serve their own answers; an operator may also point it at a
filtering resolver. Either way the lookup is made once per connection and
its answer is what gets checked and connected to.
"""

from __future__ import annotations

import ipaddress
import socket
import threading

from django.conf import settings

from .addresses import Address, literal, parse_entry
from .errors import Deadline, OutboundError


def resolve(host: str, port: int, deadline: Deadline) -> list[Address]:
    """The addresses of ``host``, in the order to try them, without repeats."""
    address = literal(host)
    if address is not None:
        return [address]
    nameserver = getattr(settings, "AFTERWORD_OUTBOUND_NAMESERVER", "")
    if nameserver:
        found = _ask_nameserver(host, nameserver, deadline)
    else:
        found = _ask_system(host, port, deadline)
    unique = list(dict.fromkeys(found))
    if not unique:
        raise OutboundError(f"The server {host} could not be found.")
    return unique


def _ask_system(host: str, port: int, deadline: Deadline) -> list[Address]:
    # getaddrinfo has no timeout of its own: wait for it at most until the
    # deadline (a stuck lookup finishes in its thread and is ignored).
    outcome: dict = {}

    def lookup() -> None:
        try:
            outcome["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            outcome["error"] = error

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        raise deadline.expired()
    if "error" in outcome:
        raise OutboundError(f"The server {host} could not be found.")
    return [
        ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in outcome["infos"]
    ]


def _ask_nameserver(host: str, nameserver: str, deadline: Deadline) -> list[Address]:
    import dns.exception
    import dns.resolver

    server, port = parse_entry(nameserver, "AFTERWORD_OUTBOUND_NAMESERVER")
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [server]
    resolver.port = port
    found: list[Address] = []
    for kind in ("A", "AAAA"):
        try:
            answer = resolver.resolve(
                host, kind, lifetime=deadline.remaining(), search=False
            )
        except dns.exception.Timeout:
            raise deadline.expired() from None
        except dns.exception.DNSException:
            continue
        found.extend(ipaddress.ip_address(record.address) for record in answer)
    return found
