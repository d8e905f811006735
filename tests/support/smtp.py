"""A real SMTP server on loopback (aiosmtpd) for email tests.

Use the ``smtp_server`` fixture: it starts a server on a free 127.0.0.1 port,
points Django's SMTP backend at it, and collects what arrives::

    def test_something(smtp_server, run_tasks):
        ...
        run_tasks()
        [message] = smtp_server.messages
        assert message["To"] == "reader@example.test"

``smtp_server.fail_next(n)`` makes the next ``n`` deliveries fail with a
temporary SMTP error (451), to test retries. Import the fixture into an
area's ``conftest.py``: ``from tests.support.smtp import smtp_server``.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: SMTPSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            if self.sink.failures_left > 0:
                self.sink.failures_left -= 1
                return "451 4.3.0 Temporary failure, try again later"
            message = email.message_from_bytes(
                envelope.original_content or envelope.content,
                policy=email.policy.default,
            )
            self.sink.messages.append(message)
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPSink:
    """Messages received by the loopback server, parsed as EmailMessage."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.failures_left = 0
        self.running = False
        self.port = free_port()
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port
        )

    def start(self) -> None:
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        # Safe to call twice: a test may stop it to simulate an outage.
        if self.running:
            self.running = False
            self.controller.stop()

    def fail_next(self, count: int = 1) -> None:
        with self.lock:
            self.failures_left = count

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @classmethod
    def links_in(cls, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://[^\s<>\"]+", cls.text_of(message))


@pytest.fixture
def smtp_server(settings):
    """Start aiosmtpd on a free loopback port and route Django's mail there."""
    sink = SMTPSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        sink.stop()
