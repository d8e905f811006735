"""An independent ActivityPub peer (npm ``@fedify/fedify`` 1.5) run on loopback.

Afterword's ActivityPub server is checked against software it did not write:
``tests/node/fedify-peer.mjs`` runs a Fedify federation with one actor,
``reader`` ("Rin Reader"), that verifies every incoming signature the way a
real server does and signs everything it sends. Tests steer it through its
JSON control API (``/control/...``) with the methods below, and read what it
received, verified, with :meth:`FedifyPeer.received` and
:meth:`FedifyPeer.wait_for`.

The ``fedify_peer`` fixture starts one per test; :func:`start_fedify_peer`
starts more (use it as a context manager). Without node or the npm package
the test is skipped with the reason printed, unless
``AFTERWORD_REQUIRE_SERVICES=1`` (CI), where it fails instead.

This is test-side code talking to a loopback test process, so it uses urllib
directly, never Afterword's outbound helper.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.oidc import NODE_DIR, missing_service

SCRIPT = NODE_DIR / "fedify-peer.mjs"
PACKAGE = NODE_DIR / "node_modules" / "@fedify" / "fedify"
READY_TIMEOUT = 20.0


class FedifyPeerError(AssertionError):
    """A control call failed; the message carries the peer's own stderr."""


class FedifyPeer:
    """A running ``fedify-peer.mjs``; its ``url`` and its actor's id."""

    def __init__(self, process: subprocess.Popen, url: str, actor: str):
        self.process = process
        self.url = url
        self.actor = actor
        self._stderr: list[str] = []

    # -- control API ---------------------------------------------------

    # Every sending method delivers before it returns (it raises
    # FedifyPeerError when the remote inbox refuses) and takes
    # ``shared_inbox=True`` to post to the recipients' sharedInbox instead of
    # their own inbox.

    def follow(self, actor_url: str, *, shared_inbox: bool = False) -> str:
        """Send Follow to the actor; returns the Follow's id."""
        return self._post("follow", shared_inbox, actor=actor_url)["id"]

    def unfollow(self, actor_url: str, *, shared_inbox: bool = False) -> str:
        """Send Undo(Follow) for the last Follow of that actor."""
        return self._post("unfollow", shared_inbox, actor=actor_url)["id"]

    def reply(
        self,
        in_reply_to: str | None,
        content: str,
        to: list[str],
        *,
        summary: str | None = None,
        sensitive: bool | None = None,
        attachments: list[dict] | None = None,
        shared_inbox: bool = False,
    ) -> dict:
        """Create(Note) to the actors in ``to`` (cc public).

        ``attachments`` are ``{"url", "mediaType", "name"}`` (name: alt text;
        image types become Image, others Document). Returns ``{"id": note id,
        "activity": Create id}``; the note dereferences at its id until
        :meth:`delete_reply`.
        """
        return self._post(
            "reply",
            shared_inbox,
            inReplyTo=in_reply_to,
            content=content,
            to=to,
            summary=summary,
            sensitive=sensitive,
            attachments=attachments or [],
        )

    def update_reply(
        self, note_id: str, content: str, *, shared_inbox: bool = False
    ) -> dict:
        return self._post("update-reply", shared_inbox, id=note_id, content=content)

    def delete_reply(self, note_id: str, *, shared_inbox: bool = False) -> dict:
        return self._post("delete-reply", shared_inbox, id=note_id)

    def like(self, obj: str, to: list[str], *, shared_inbox: bool = False) -> str:
        return self._post("like", shared_inbox, object=obj, to=to)["id"]

    def announce(self, obj: str, to: list[str], *, shared_inbox: bool = False) -> str:
        return self._post("announce", shared_inbox, object=obj, to=to)["id"]

    def undo(self, activity_id: str, *, shared_inbox: bool = False) -> str:
        """Undo a Like, Announce or Follow this peer sent."""
        return self._post("undo", shared_inbox, activity=activity_id)["id"]

    def lookup(self, url: str) -> tuple[int, dict]:
        """Fetch ``url`` with a signed GET and parse it with Fedify.

        Returns (remote status, the object as Fedify re-serialises it, compact
        JSON-LD) on success, else (remote status, ``{"error": ...}``); the
        status is 0 when no HTTP answer came at all.
        """
        answer = self._post("lookup", url=url)
        if answer.get("status") == 200 and "object" in answer:
            return 200, answer["object"]
        return answer.get("status", 0), {"error": answer.get("error", "")}

    def lookup_document(self, url: str) -> dict:
        """The whole lookup answer: status, object, and the raw ``document``."""
        return self._post("lookup", url=url)

    def received(self, type: str | None = None) -> list[dict]:
        """Verified activities received, oldest first, optionally of one type.

        Each is ``{type, id, actor, object, recipient, json, raw, signature,
        receivedAt}``: ``json`` is the activity as Fedify understood it
        (compact JSON-LD), ``raw`` the body exactly as posted, ``recipient``
        ``"reader"`` or None for the shared inbox. Create and Update also
        carry ``detail`` (the object's id, type, name, summary, content,
        sensitive, url, inReplyTo, attributedTo, to, cc, published, updated,
        attachments with their alt text as ``name``, and tags), or None and
        ``detailError`` when the object could not be had.
        """
        items = self._call("GET", "received")
        return [item for item in items if type is None or item["type"] == type]

    def sent(self) -> list[dict]:
        """Every delivery this peer attempted, with ``ok`` and ``error``."""
        return self._call("GET", "sent")

    def state(self) -> dict:
        """Who it follows (with pending/accepted/rejected) and its followers."""
        return self._call("GET", "state")

    def wait_for(
        self, predicate: Callable[[dict], bool], timeout: float = 10.0
    ) -> dict:
        """The first received activity matching ``predicate``, polling."""
        deadline = time.monotonic() + timeout
        while True:
            for item in self.received():
                if predicate(item):
                    return item
            if time.monotonic() > deadline:
                seen = [(item["type"], item["id"]) for item in self.received()]
                raise FedifyPeerError(
                    f"nothing matching arrived in {timeout}s; received {seen}"
                    f"{self._stderr_tail()}"
                )
            time.sleep(0.05)

    def reset(self) -> None:
        """Forget what was received and sent (follows are kept)."""
        self._call("POST", "reset", {})

    # -- plumbing ------------------------------------------------------

    def _post(self, route: str, shared_inbox: bool = False, **body: Any) -> dict:
        if shared_inbox:
            body["sharedInbox"] = True
        return self._call("POST", route, body)

    def _call(self, method: str, route: str, body: dict | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/control/{route}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            raise FedifyPeerError(
                f"{method} /control/{route} -> {error.code}: {detail}"
                f"{self._stderr_tail()}"
            ) from None

    def _stderr_tail(self, lines: int = 40) -> str:
        tail = "".join(self._stderr[-lines:])
        return f"\n--- fedify-peer stderr ---\n{tail}" if tail else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> FedifyPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _drain(stream, sink: list[str] | queue.Queue) -> None:
    """Read a pipe to its end so a full pipe never blocks the peer."""
    for line in stream:
        if isinstance(sink, list):
            sink.append(line)
        else:
            sink.put(line)
    if isinstance(sink, queue.Queue):
        sink.put(None)


def _launch(
    ed25519: bool, rsa_bits: int
) -> tuple[subprocess.Popen, queue.Queue, list[str]]:
    node = shutil.which("node")
    if node is None:
        missing_service("node is not installed")
    if not PACKAGE.is_dir():
        missing_service(
            "npm package @fedify/fedify is missing (run npm install in tests/node)"
        )
    command = [node, str(SCRIPT), "--port", "0", "--exit-with-stdin"]
    command += ["--rsa-bits", str(rsa_bits)]
    if ed25519:
        command.append("--ed25519")
    process = subprocess.Popen(
        command,
        cwd=NODE_DIR,
        stdin=subprocess.PIPE,  # never written: its closing ends the peer
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stderr: list[str] = []
    stdout: queue.Queue = queue.Queue()
    threading.Thread(target=_drain, args=(process.stderr, stderr), daemon=True).start()
    threading.Thread(target=_drain, args=(process.stdout, stdout), daemon=True).start()
    return process, stdout, stderr


def _await_ready(
    process: subprocess.Popen, stdout: queue.Queue, stderr: list[str]
) -> FedifyPeer:
    deadline = time.monotonic() + READY_TIMEOUT
    ready = None
    while ready is None and time.monotonic() < deadline:
        try:
            line = stdout.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if line is None:  # the process ended
            break
        if line.startswith("{"):
            ready = json.loads(line)
    if not ready or not ready.get("ready"):
        process.kill()
        process.wait()
        pytest.fail(
            f"fedify-peer did not start within {READY_TIMEOUT:.0f}s:\n"
            + "".join(stderr[-40:])
        )
    peer = FedifyPeer(process, ready["url"], ready["actor"])
    peer._stderr = stderr
    return peer


def start_fedify_peers(
    count: int, *, ed25519: bool = False, rsa_bits: int = 2048
) -> list[FedifyPeer]:
    """Start ``count`` peers at once (each takes about a second to boot)."""
    launches = [_launch(ed25519, rsa_bits) for _ in range(count)]
    peers: list[FedifyPeer] = []
    try:
        for launch in launches:
            peers.append(_await_ready(*launch))
    except BaseException:
        for process, _, _ in launches:
            if process.poll() is None:
                process.kill()
        raise
    return peers


def start_fedify_peer(*, ed25519: bool = False, rsa_bits: int = 2048) -> FedifyPeer:
    """Start ``fedify-peer.mjs`` on a free port and wait for its ready line.

    ``ed25519=True`` gives the actor an Ed25519 key too, so everything it
    sends also carries an Object Integrity Proof (FEP-8b32). The RSA key is
    2048 bits (Mastodon's size); ``rsa_bits=4096`` is Fedify's default size,
    slower to generate.
    """
    return start_fedify_peers(1, ed25519=ed25519, rsa_bits=rsa_bits)[0]


@pytest.fixture
def fedify_peer() -> Iterator[FedifyPeer]:
    """A fresh Fedify peer for the test, stopped afterwards."""
    with start_fedify_peer() as peer:
        yield peer


__all__ = [
    "FedifyPeer",
    "FedifyPeerError",
    "fedify_peer",
    "start_fedify_peer",
    "start_fedify_peers",
]
