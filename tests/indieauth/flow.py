"""Signing in to an app through IndieAuth, the way a writer does, in Chromium.

``obtain_token_in_browser`` plays both parts: the app (a loopback HTTP
server standing for it, a PKCE pair, the authorize address, then the code
exchanged at the token endpoint with ``requests``) and the writer (signing
in on the site's own sign-in page, approving on the consent page). Other
suites (Micropub) use it to get a real token; the smaller helpers here let
tests stop anywhere along the way.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from tests.credentials.helpers import pkce_pair
from tests.support.peers import Peer

PASSWORD = "correct horse battery staple"
DEFAULT_SCOPE = "create update delete media"


@dataclass
class Attempt:
    """One sign-in an app starts: what it sends and must remember."""

    live_server_url: str
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    verifier: str
    challenge: str

    @classmethod
    def start(
        cls,
        live_server_url: str,
        client_id: str,
        redirect_uri: str | None = None,
        scope: str = DEFAULT_SCOPE,
    ) -> Attempt:
        verifier, challenge = pkce_pair()
        return cls(
            live_server_url=live_server_url,
            client_id=client_id,
            redirect_uri=redirect_uri or client_id.rstrip("/") + "/callback",
            scope=scope,
            state=secrets.token_urlsafe(16),
            verifier=verifier,
            challenge=challenge,
        )

    @property
    def authorize_url(self) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
            "scope": self.scope,
            "me": self.live_server_url + "/",
        }
        return f"{self.live_server_url}/indieauth/auth?{urlencode(query)}"

    def exchange(self, code: str, **changes) -> requests.Response:
        """POST the code to the token endpoint as the app would."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "code_verifier": self.verifier,
            **changes,
        }
        return requests.post(
            f"{self.live_server_url}/indieauth/token",
            data=form,
            headers={"Accept": "application/json"},
            timeout=10,
        )


@contextlib.contextmanager
def app_server() -> Iterator[Peer]:
    """A loopback server standing for the app: ``/`` and ``/callback``."""
    peer = Peer()
    peer.answer(
        "/", b"<!doctype html><title>Test app</title>", **{"Content-Type": "text/html"}
    )
    peer.answer(
        "/callback",
        b"<!doctype html><title>Signed in</title>",
        **{"Content-Type": "text/html"},
    )
    try:
        yield peer
    finally:
        peer.stop()


def sign_in_if_asked(page, username: str, password: str) -> None:
    """On the site's sign-in page (if the browser is there), sign in."""
    if "/accounts/login/" in page.url:
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", password)
        page.click("form[action*='/accounts/login/'] button[type=submit]")
        # The consent form is usable once parsed; its stylesheets may follow.
        page.wait_for_url(
            lambda url: "/indieauth/auth?" in url, wait_until="domcontentloaded"
        )


def answer_consent(page, attempt: Attempt, decision: str = "allow", untick=()):
    """Click Allow or Deny; the query the browser arrives with at redirect_uri."""
    for scope in untick:
        page.uncheck(f"#grant-{scope}")
    page.click(f"button[name=decision][value={decision}]")
    page.wait_for_url(
        lambda url: url.startswith(attempt.redirect_uri + "?"), wait_until="commit"
    )
    return {
        name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()
    }


def approve_in_browser(
    page, attempt: Attempt, username: str, password: str = PASSWORD, untick=()
) -> dict[str, str]:
    page.goto(attempt.authorize_url)
    sign_in_if_asked(page, username, password)
    page.wait_for_selector("button[name=decision][value=allow]")
    return answer_consent(page, attempt, "allow", untick)


def obtain_token_in_browser(
    page,
    live_server_url: str,
    username: str,
    password: str = PASSWORD,
    scope: str = DEFAULT_SCOPE,
    client_id: str | None = None,
) -> str:
    """A bearer token for ``username``, got through the whole IndieAuth flow.

    Without ``client_id`` a loopback server stands for the app for the
    length of the call; with one, its ``/callback`` must answer (start it
    with ``app_server()``).
    """
    with contextlib.ExitStack() as stack:
        if client_id is None:
            client_id = stack.enter_context(app_server()).url + "/"
        attempt = Attempt.start(live_server_url, client_id, scope=scope)
        query = approve_in_browser(page, attempt, username, password)
        if query.get("state") != attempt.state or "code" not in query:
            raise AssertionError(f"the consent page sent back {query}")
        answer = attempt.exchange(query["code"])
        answer.raise_for_status()
        return answer.json()["access_token"]


def introspect(live_server_url: str, token: str, using: str) -> dict:
    """What the site says of ``token`` (RFC 7662), asked with ``using``."""
    return requests.post(
        f"{live_server_url}/indieauth/introspect",
        data={"token": token},
        headers={"Authorization": f"Bearer {using}"},
        timeout=10,
    ).json()
