"""A name server on loopback whose answers change from one question to the next.

Fixture ``nameserver``: set ``answers["name.test."] = ["127.0.0.1", ...]``;
the n-th A question for that name gets the n-th address (the last one once
the list is used up), AAAA questions get an empty answer, other names
NXDOMAIN. ``questions`` lists every (name, type) asked. Point the site at it
with ``AFTERWORD_OUTBOUND_NAMESERVER = nameserver.address``.
"""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest


class NameServer:
    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}
        self.questions: list[tuple[str, str]] = []
        self._asked: dict[str, int] = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                wire, client = self.sock.recvfrom(4096)
            except OSError:
                return  # closed
            query = dns.message.from_wire(wire)
            self.sock.sendto(self._reply(query).to_wire(), client)

    def _reply(self, query: dns.message.Message) -> dns.message.Message:
        reply = dns.message.make_response(query)
        question = query.question[0]
        name, kind = question.name.to_text(), dns.rdatatype.to_text(question.rdtype)
        self.questions.append((name, kind))
        if name not in self.answers:
            reply.set_rcode(dns.rcode.NXDOMAIN)
        elif kind == "A":
            addresses = self.answers[name]
            turn = self._asked.get(name, 0)
            self._asked[name] = turn + 1
            address = addresses[min(turn, len(addresses) - 1)]
            reply.answer.append(dns.rrset.from_text(name, 0, "IN", "A", address))
        return reply

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def nameserver():
    server = NameServer()
    yield server
    server.close()
