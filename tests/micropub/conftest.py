"""A live site, two authors, their tokens, and a small HTTP client for Micropub.

Every test talks to ``live_server`` over real HTTP (requests), as a Micropub
client does. Its token comes the way an app gets one: ``client_for`` runs
the IndieAuth flow in Chromium (authorisation page, sign-in, consent, then
the code exchanged with its PKCE verifier at /indieauth/token), asking with
Micropub's scope words. The fixtures are per test, not per module: a
``live_server`` test runs on a transactional database that is emptied after
each test, writers and tokens with it. The browser is the session's; each
test gets its own context (the ``page`` fixture), and one loopback server
stands for the app for the whole run. ``test_refusals.py``, about what a
token may do rather than how an app got it, replaces ``client_for`` with
tokens made by the credentials actions, without the browser.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
import requests
from django.conf import settings as django_settings
from PIL import Image as PILImage

from afterword.credentials import scopes
from tests import factories
from tests.indieauth.flow import app_server, introspect, obtain_token_in_browser

# The scope words a Micropub editor (Quill, Indigenous...) asks with.
CREATE = "create update delete undelete media"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def author(transactional_db):
    return factories.writer("author", "ada")


@pytest.fixture
def other_author(transactional_db):
    return factories.writer("author", "bo")


@dataclass
class Client:
    """Micropub requests to the live site, with one token."""

    base: str
    token: str
    scopes: frozenset[str]

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


@pytest.fixture(scope="session")
def micropub_app():
    """A loopback server standing for the app: its address is the client_id."""
    with app_server() as server:
        yield server


@pytest.fixture
def client_for(live_server, page, micropub_app):
    """``make(user, scope)``: a client whose token ``user`` granted in Chromium.

    ``scope`` is the Micropub words the app asks for; the token must hold
    exactly the site's scopes they stand for (all boxes left ticked).
    """
    signed_in: list[str] = []

    def make(user, scope: str = CREATE) -> Client:
        if signed_in and signed_in[-1] != user.username:
            page.context.clear_cookies()  # the next writer signs in afresh
        token = obtain_token_in_browser(
            page,
            live_server.url,
            user.username,
            scope=scope,
            client_id=micropub_app.url + "/",
        )
        signed_in.append(user.username)
        held = introspect(live_server.url, token, token)
        # The writer's author page, or the site itself before their first post.
        site = django_settings.SITE_URL
        assert held["me"] in (f"{site}/author/{user.username}/", f"{site}/"), held
        granted = scopes.normalise(held["scope"])
        assert granted == scopes.from_request(scope), (scope, granted)
        return Client(live_server.url, token, granted)

    return make


@pytest.fixture
def mp(client_for, author) -> Client:
    """The author's client, with the scopes a Micropub editor asks for."""
    return client_for(author)


def picture(fmt: str = "JPEG", size=(64, 48), colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    PILImage.new("RGB", size, colour).convert(mode).save(out, fmt)
    return out.getvalue()
