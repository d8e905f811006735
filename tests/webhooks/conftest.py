"""A receiver on loopback that records what webhooks post, and a webhook to it."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from afterword.webhooks.actions import SaveWebhook
from afterword.webhooks.models import Event, Webhook
from tests.support.peers import Peer, peers, send  # noqa: F401

PATH = "/hooks/afterword"


class Receiver:
    """A loopback peer answering ``PATH``; ``statuses`` are its next answers
    (200 once they run out)."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self.url = f"{peer.url}{PATH}"
        self.statuses: list[int] = []
        peer.routes[PATH] = self._answer

    def _answer(self, handler) -> None:
        status = self.statuses.pop(0) if self.statuses else 200
        send(handler, status, b"thanks" if status < 300 else b"not now")

    @property
    def requests(self):
        return [r for r in self.peer.received if r.path == PATH]

    def events(self) -> list[str]:
        return [json.loads(r.body)["event"] for r in self.requests]

    def payloads(self) -> list[dict]:
        return [json.loads(r.body) for r in self.requests]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Flood counters of the comment form and cached settings live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def receiver(peers, settings):  # noqa: F811
    peer = peers()
    settings.AFTERWORD_OUTBOUND_ALLOW = [peer.host]
    settings.AFTERWORD_WEBHOOK_RETRY_DELAYS = [0, 0, 0, 0, 0]
    return Receiver(peer)


@pytest.fixture
def make_webhook(receiver):
    def make(events=tuple(Event.values), **values) -> Webhook:
        hook = Webhook(url=receiver.url, events=list(events), **values)
        return SaveWebhook(hook).run()

    return make
