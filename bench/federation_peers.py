"""The fediverse of bench/federation_delivery.py: many servers in one process.

    python bench/federation_peers.py CONFIG.json

One asyncio process, one listening socket per server on 127.0.0.1 (ports
chosen by the system). Follower ``j`` lives on server ``j % servers`` as
``/users/u<j>``; servers with a shared inbox take all their followers'
deliveries at ``/inbox``, the others at each ``/users/u<j>/inbox``
(:func:`layout`, which the bench uses to create the same followers).

Each POST is checked the way a receiving server would, with ``cryptography``
directly (not the site's signatures module): the ``Signature`` header names
the author's key, covers ``(request-target) host date digest``, the Digest
matches the body, the Host is this server's, the Date is recent, and the
RSA-SHA256 signature verifies against the author's public key. An unsigned
or badly signed request gets 401. A server listed as failing answers 500 to
the first ``fail_times`` POSTs to each of its inboxes, then 202 like the
others. Actor documents are served (GET ``/users/u<j>``) and counted, though
delivery should not need them.

The process prints ``{"ports": [...]}`` once listening, then answers each
line on its standard input: ``progress`` (how many inboxes have the
activity) or ``report`` (everything it recorded), one JSON line each. It
exits at the end of its input.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from email.utils import parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HOST = "127.0.0.1"
PARAM = re.compile(r'(\w+)="([^"]*)"')
REQUIRED = {"(request-target)", "host", "date", "digest"}
CLOCK_SKEW = 300
REASONS = {200: "OK", 202: "Accepted", 401: "Unauthorized", 404: "Not Found",
           500: "Internal Server Error"}  # fmt: skip


def layout(servers: int, followers: int) -> dict[int, list[int]]:
    """Server index -> the follower numbers living there."""
    found: dict[int, list[int]] = defaultdict(list)
    for number in range(followers):
        found[number % servers].append(number)
    return dict(found)


def has_shared_inbox(server: int) -> bool:
    """Half the servers (the even ones) offer a shared inbox."""
    return server % 2 == 0


def failing_servers(servers: int, failing: int) -> list[int]:
    """Spread evenly, alternately with and without a shared inbox."""
    if failing <= 0:
        return []
    step = max(servers // failing, 1)
    chosen = []
    for n in range(failing):
        index = n * step
        if has_shared_inbox(index) != (n % 2 == 0):
            index += 1
        chosen.append(min(index, servers - 1))
    return sorted(set(chosen))


class Fediverse:
    """What every server received, and its answers."""

    def __init__(self, config: dict) -> None:
        self.servers = config["servers"]
        self.followers = layout(config["servers"], config["followers"])
        self.failing = set(failing_servers(config["servers"], config["failing"]))
        self.fail_times = config["fail_times"]
        self.key_id = config["key_id"]
        self.key = serialization.load_pem_public_key(config["public_key_pem"].encode())
        self.ports: list[int] = []
        # "port/path" -> activity id -> times accepted (answered 202)
        self.accepted: dict[str, Counter[str]] = defaultdict(Counter)
        self.first_accepted_at: dict[str, float] = {}
        self.refused: Counter[str] = Counter()  # the 500s the failing servers gave
        self.bad_signatures: Counter[str] = Counter()
        self.verified = 0
        self.unknown_paths = 0
        self.actor_fetches = 0

    def expected_inboxes(self) -> dict[str, int]:
        """Every inbox that should get the activity -> its server's index."""
        expected = {}
        for server, numbers in self.followers.items():
            port = self.ports[server]
            if has_shared_inbox(server):
                expected[f"{port}/inbox"] = server
            else:
                for number in numbers:
                    expected[f"{port}/users/u{number}/inbox"] = server
        return expected

    def answer(self, server: int, method: str, target: str, headers, body) -> int:
        port = self.ports[server]
        numbers = self.followers.get(server, [])
        inboxes = {f"/users/u{n}/inbox" for n in numbers}
        if has_shared_inbox(server):
            inboxes = {"/inbox"}
        if method == "GET" and target in {f"/users/u{n}" for n in numbers}:
            self.actor_fetches += 1
            return 200
        if method != "POST" or target not in inboxes:
            self.unknown_paths += 1
            return 404
        key = f"{port}{target}"
        problem = self.check_signature(port, method, target, headers, body)
        if problem:
            self.bad_signatures[problem] += 1
            return 401
        self.verified += 1
        if server in self.failing and self.refused[key] < self.fail_times:
            self.refused[key] += 1
            return 500
        try:
            activity_id = json.loads(body)["id"]
        except (ValueError, KeyError, TypeError):
            activity_id = ""
        self.accepted[key][activity_id] += 1
        self.first_accepted_at.setdefault(key, time.time())
        return 202

    def check_signature(self, port, method, target, headers, body) -> str:
        """Why the request's signature fails, or "" when it holds."""
        params = dict(PARAM.findall(headers.get("signature", "")))
        if params.get("keyId") != self.key_id or "signature" not in params:
            return "no signature, or another key"
        names = params.get("headers", "date").lower().split()
        if not set(names) >= REQUIRED:
            return "does not cover (request-target) host date digest"
        if headers.get("host") != f"{HOST}:{port}":
            return "Host is not this server"
        expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if headers.get("digest") != expected:
            return "Digest does not match the body"
        try:
            sent = parsedate_to_datetime(headers.get("date", "")).timestamp()
        except (TypeError, ValueError):
            return "Date unreadable"
        if abs(time.time() - sent) > CLOCK_SKEW:
            return "Date too far from now"
        lines = []
        for name in names:
            if name == "(request-target)":
                lines.append(f"(request-target): {method.lower()} {target}")
            elif name in headers:
                lines.append(f"{name}: {headers[name]}")
            else:
                return f"signed header {name} missing"
        try:
            self.key.verify(
                base64.b64decode(params["signature"]),
                "\n".join(lines).encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (InvalidSignature, ValueError):
            return "signature does not verify"
        return ""

    def progress(self) -> dict:
        expected = self.expected_inboxes()
        reached = [key for key in expected if key in self.first_accepted_at]
        return {
            "inboxes": len(expected),
            "reached": len(reached),
            "last_at": max(self.first_accepted_at.values(), default=None),
        }

    def report(self) -> dict:
        expected = self.expected_inboxes()
        missing = [key for key in expected if key not in self.first_accepted_at]
        ids: Counter[str] = Counter()
        for counts in self.accepted.values():
            ids.update(counts)
        return {
            **self.progress(),
            "servers": len(self.followers),
            "servers_missing": len({expected[key] for key in missing}),
            "inboxes_missing": missing[:20],
            "inboxes_with_a_repeat": sum(
                1 for counts in self.accepted.values() if max(counts.values()) > 1
            ),
            "repeats": sum(
                count - 1 for c in self.accepted.values() for count in c.values()
            ),
            "unexpected_inboxes": sorted(set(self.accepted) - set(expected))[:20],
            "activity_ids": dict(ids),
            "failing_ports": sorted(self.ports[s] for s in self.failing),
            "refused_with_500": sum(self.refused.values()),
            "signatures_verified": self.verified,
            "signatures_failed": dict(self.bad_signatures),
            "unknown_paths": self.unknown_paths,
            "actor_fetches": self.actor_fetches,
        }


async def read_request(reader: asyncio.StreamReader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    body = await reader.readexactly(length) if length else b""
    return method, target, headers, body


def handler(fediverse: Fediverse, server: int):
    async def handle(reader, writer) -> None:
        try:
            method, target, headers, body = await read_request(reader)
            status = fediverse.answer(server, method, target, headers, body)
            payload = b""
            if status == 200:
                number = target.rsplit("/u", 1)[1]
                payload = json.dumps(actor_document(fediverse, server, number)).encode()
            writer.write(
                f"HTTP/1.1 {status} {REASONS[status]}\r\n"
                f"Content-Type: application/activity+json\r\n"
                f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        except ConnectionError:
            pass
        finally:
            writer.close()

    return handle


def actor_document(fediverse: Fediverse, server: int, number: str) -> dict:
    root = f"http://{HOST}:{fediverse.ports[server]}"
    document = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{root}/users/u{number}",
        "type": "Person",
        "preferredUsername": f"u{number}",
        "inbox": f"{root}/users/u{number}/inbox",
    }
    if has_shared_inbox(server):
        document["endpoints"] = {"sharedInbox": f"{root}/inbox"}
    return document


async def main(config: dict) -> None:
    fediverse = Fediverse(config)
    listening = []
    for server in range(config["servers"]):
        listening.append(
            await asyncio.start_server(handler(fediverse, server), HOST, 0, backlog=64)
        )
        fediverse.ports.append(listening[-1].sockets[0].getsockname()[1])
    print(json.dumps({"ports": fediverse.ports}), flush=True)
    commands = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(commands), sys.stdin
    )
    while line := await commands.readline():
        command = line.decode().strip()
        answer = fediverse.report() if command == "report" else fediverse.progress()
        print(json.dumps(answer), flush=True)
    for server in listening:
        server.close()


if __name__ == "__main__":
    with open(sys.argv[1]) as source:
        asyncio.run(main(json.load(source)))
