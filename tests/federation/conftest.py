"""A remote fediverse account on a loopback server, written by the tests.

``remote_account`` serves an actor document (with its own RSA key) and an
inbox that records what the site delivers; ``send`` signs an activity the
way Mastodon does and POSTs it to the site through Django's test client.
It is the other side only for the refusal and unit-level tests: the
interop tests use Fedify, an independent implementation
(tests/federation/test_interop.py).
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.cache import cache

from afterword.federation import actors, signatures
from tests import factories
from tests.support.fedify import fedify_peer  # noqa: F401
from tests.support.peers import Peer, peers, send  # noqa: F401


class RemoteAccount:
    def __init__(
        self, peer: Peer, name: str = "rin", shared: bool = True, commits=None
    ) -> None:
        self.peer = peer
        # Runs the site's after-commit work (deliveries queued by actions)
        # around each request, as a real transaction's commit would.
        self.commits = commits
        self.name = name
        self.uri = f"{peer.url}/users/{name}"
        self.key_id = f"{self.uri}#main-key"
        self.inbox_path = f"/users/{name}/inbox"
        self.shared_path = "/inbox" if shared else ""
        self.public_pem, self.private_pem = actors.new_key_pair()
        self.objects: dict[str, dict] = {}
        peer.routes[f"/users/{name}"] = self._actor
        peer.routes[self.inbox_path] = self._accept
        if shared:
            peer.routes["/inbox"] = self._accept

    def document(self) -> dict:
        doc = {
            "@context": ["https://www.w3.org/ns/activitystreams"],
            "id": self.uri,
            "type": "Person",
            "preferredUsername": self.name,
            "name": f"{self.name.title()} Remote",
            "url": f"{self.peer.url}/@{self.name}",
            "inbox": f"{self.peer.url}{self.inbox_path}",
            "publicKey": {
                "id": self.key_id,
                "owner": self.uri,
                "publicKeyPem": self.public_pem,
            },
        }
        if self.shared_path:
            doc["endpoints"] = {"sharedInbox": f"{self.peer.url}{self.shared_path}"}
        return doc

    def _actor(self, handler) -> None:
        send(
            handler,
            200,
            json.dumps(self.document()).encode(),
            {"Content-Type": "application/activity+json"},
        )

    def _accept(self, handler) -> None:
        send(handler, 202, b"")

    def serve_object(self, document: dict) -> None:
        path = document["id"].removeprefix(self.peer.url)

        def answer(handler) -> None:
            send(
                handler,
                200,
                json.dumps(document).encode(),
                {"Content-Type": "application/activity+json"},
            )

        self.peer.routes[path] = answer

    def new_id(self, kind: str = "activities") -> str:
        return f"{self.peer.url}/{kind}/{uuid.uuid4().hex}"

    def activity(self, kind: str, obj, **extra) -> dict:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self.new_id(),
            "type": kind,
            "actor": self.uri,
            "object": obj,
            **extra,
        }

    def note(self, in_reply_to: str, content: str) -> dict:
        return {
            "id": self.new_id("notes"),
            "type": "Note",
            "attributedTo": self.uri,
            "inReplyTo": in_reply_to,
            "content": content,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        }

    def signed_headers(self, url: str, body: bytes, key_id=None, private=None):
        headers = signatures.sign(
            "POST",
            url,
            key_id=key_id or self.key_id,
            private_key_pem=private or self.private_pem,
            body=body,
        )
        return {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}

    def send(self, client, activity, path="/ap/inbox", *, headers=None, body=None):
        body = json.dumps(activity).encode() if body is None else body
        url = f"http://testserver{path}"
        extra = self.signed_headers(url, body) if headers is None else headers
        extra.pop("HTTP_CONTENT_TYPE", None)
        if self.commits is None:
            return client.post(
                path, data=body, content_type="application/activity+json", **extra
            )
        with self.commits(execute=True):
            return client.post(
                path, data=body, content_type="application/activity+json", **extra
            )

    def deliveries(self) -> list[dict]:
        return [
            json.loads(r.body)
            for r in self.peer.received
            if r.method == "POST" and r.path in (self.inbox_path, self.shared_path)
        ]


@pytest.fixture(autouse=True)
def _federation(settings):
    settings.AFTERWORD_FEDERATION_ALLOW_PRIVATE = True
    settings.SITE_URL = "http://testserver"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    settings.AFTERWORD_FEDERATION_RETRY_DELAYS = [0, 0, 0]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def remote_account(peers, django_capture_on_commit_callbacks):  # noqa: F811
    return RemoteAccount(peers(), commits=django_capture_on_commit_callbacks)


@pytest.fixture
def author(db):
    return factories.UserFactory(username="ada", display_name="Ada Critic")


@pytest.fixture
def published(author, post_factory):
    return post_factory(
        title="Magnetic Rose",
        slug="magnetic-rose",
        author=author,
        body="A first segment of *Memories*.\n\n![A ship](/media/ship.png)",
    )
