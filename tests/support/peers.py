"""Loopback HTTP servers whose answers a test writes, for outbound requests.

``peer()`` (fixture ``peers``) starts a server on 127.0.0.1 (or another
loopback address; over TLS when given a server context) and records every
request it receives. Answers are set
per path: ``answer``, ``redirect``, or any function of the request handler
(``trickle`` and ``stall`` are two such functions, for servers that are slow
on purpose). Unknown paths get 404.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(BaseHTTPRequestHandler):
    peer: Peer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.peer.received.append(
            Received(self.command, self.path, dict(self.headers.items()), body)
        )
        route = self.peer.routes.get(self.path.split("?", 1)[0])
        if route is None:
            return send(self, 404, b"not here")
        # The client may hang up on purpose (a refused or cut-off answer).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)
        self.close_connection = True

    do_GET = do_POST = do_HEAD = do_PUT = _serve


def send(handler, status: int, body: bytes = b"", headers: dict | None = None):
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Connection", "close")
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def trickle(every: float, limit: float = 10.0, headers_too: bool = False):
    """An answer that sends one byte per ``every`` seconds for ``limit`` seconds."""

    def answer(handler) -> None:
        end = time.monotonic() + limit
        if headers_too:
            data = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000
        else:
            handler.send_response(200)
            handler.send_header("Content-Length", "100000")
            handler.end_headers()
            data = b"b" * 100_000
        for byte in data:
            if time.monotonic() > end:
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(every)

    return answer


def stall(status: int, body: bytes, headers: dict | None = None, hold: float = 5.0):
    """Send headers and ``body``, then keep the connection open without a word."""

    def answer(handler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        time.sleep(hold)

    return answer


class Peer:
    def __init__(
        self, address: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext = None
    ) -> None:
        self.routes: dict[str, Callable] = {}
        self.received: list[Received] = []
        handler = type("PeerHandler", (_Handler,), {"peer": self})
        self.httpd = ThreadingHTTPServer((address, port), handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.host = f"{address}:{self.port}"
        self.url = f"{'https' if tls else 'http'}://{self.host}"
        threading.Thread(
            target=self.httpd.serve_forever, args=(0.02,), daemon=True
        ).start()

    def answer(self, path: str, body: bytes = b"ok", status: int = 200, **headers):
        self.routes[path] = lambda handler: send(handler, status, body, headers)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = lambda handler: send(
            handler, status, b"", {"Location": location}
        )

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def peers():
    """A function starting loopback peers, all stopped after the test."""
    started: list[Peer] = []

    def start(address: str = "127.0.0.1", port: int = 0, tls=None) -> Peer:
        started.append(Peer(address, port, tls))
        return started[-1]

    yield start
    for peer in started:
        peer.stop()
