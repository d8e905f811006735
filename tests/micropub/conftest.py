"""A live site, two authors, their tokens, and a small HTTP client for Micropub.

Every test talks to ``live_server`` over real HTTP (requests), as a Micropub
client does. Tokens come from :func:`micropub_token`, the one place that
knows how a client obtains one. The fixtures that call it are per test, not
per module: a ``live_server`` test runs on a transactional database that is
emptied after each test, writers and tokens with it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
import requests
from PIL import Image as PILImage

from afterword.accounts.actions import SetRole
from afterword.credentials import scopes
from tests import factories
from tests.credentials.helpers import make_token

CREATE_SCOPES = frozenset({scopes.DRAFT, scopes.PUBLISH})


def micropub_token(user, wanted=CREATE_SCOPES, *, client_id="https://client.example/"):
    """A bearer token for ``user`` with our scopes ``wanted``.

    Made through the credentials actions the IndieAuth screens run
    (``tests/credentials/helpers.make_token``). Once ``afterword.indieauth``
    is on main, this is the function to switch to its flow in Chromium
    (authorisation screen, consent, code exchange at /indieauth/token).
    """
    return make_token(user, wanted, client_id=client_id)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _writer(role: str, username: str):
    account = factories.UserFactory(username=username)
    SetRole(account, role).run()
    account.refresh_from_db()
    return account


@pytest.fixture
def author(transactional_db):
    return _writer("author", "ada")


@pytest.fixture
def other_author(transactional_db):
    return _writer("author", "bo")


@dataclass
class Client:
    """Micropub requests to the live site, with one token."""

    base: str
    token: str

    @property
    def endpoint(self) -> str:
        return self.base + "/micropub"

    @property
    def media_endpoint(self) -> str:
        return self.base + "/micropub/media"

    def headers(self, **extra) -> dict:
        return {"Authorization": f"Bearer {self.token}", **extra}

    def form(self, data, files=None, **kwargs) -> requests.Response:
        return requests.post(
            self.endpoint,
            data=data,
            files=files,
            headers=self.headers(),
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )

    def json(self, body) -> requests.Response:
        return requests.post(
            self.endpoint,
            json=body,
            headers=self.headers(),
            allow_redirects=False,
            timeout=30,
        )

    def query(self, **params) -> requests.Response:
        return requests.get(
            self.endpoint, params=params, headers=self.headers(), timeout=30
        )

    def upload(self, name: str, data: bytes, mime: str) -> requests.Response:
        return requests.post(
            self.media_endpoint,
            files={"file": (name, data, mime)},
            headers=self.headers(),
            timeout=30,
        )


@pytest.fixture
def client_for(live_server):
    def make(user, wanted=CREATE_SCOPES) -> Client:
        return Client(live_server.url, micropub_token(user, wanted))

    return make


@pytest.fixture
def mp(client_for, author) -> Client:
    """The author's client, with the scopes Micropub's create asks for."""
    return client_for(author)


def picture(fmt: str = "JPEG", size=(64, 48), colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    PILImage.new("RGB", size, colour).convert(mode).save(out, fmt)
    return out.getvalue()
