"""Loopback stand-ins for WordPress.com's and Mastodon's OAuth2 servers.

They implement the documented endpoints closely enough for a real login
through allauth: authorisation (the reader consents at once), the code for
token exchange with every parameter checked, and the profile endpoints.

* WordPress.com: ``GET /oauth2/authorize``, ``POST /oauth2/token``,
  ``GET /rest/v1/me`` (developer.wordpress.com/docs/oauth2/).
* Mastodon: ``POST /api/v1/apps``, ``GET /oauth/authorize``,
  ``POST /oauth/token``, ``GET /api/v1/accounts/verify_credentials``
  (docs.joinmastodon.org/methods/apps/, /methods/oauth/).

``state.overrides[path] = function(handler)`` makes one path misbehave.

Fixture: ``oauth_server`` starts one on a free 127.0.0.1 port; import it in
an area's conftest: ``from tests.support.oauth_servers import oauth_server``.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

WORDPRESS_CLIENT = ("wp-client-id", "wp-client-secret")
WORDPRESS_USER = {
    "ID": 48151623,
    "display_name": "Kon Satoshi Fan",
    "username": "konfan",
    "email": "konfan@example.test",
    "email_verified": True,
    "avatar_URL": "https://example.test/avatar.png",
    "profile_URL": "https://example.test/konfan",
}
MASTODON_USER = {
    "id": "109384",
    "username": "mima",
    "acct": "mima",
    "display_name": "Mima Kirigoe",
    "url": "https://example.test/@mima",
    "avatar": "https://example.test/mima.png",
}


class ProviderState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients = {
            WORDPRESS_CLIENT[0]: {"secret": WORDPRESS_CLIENT[1], "redirect": None}
        }
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.registrations: list[dict] = []
        self.requests: list[str] = []
        # path -> function(handler) answering instead of the provider, for
        # tests of misbehaving servers (redirects, huge or slow answers).
        self.overrides: dict = {}


class Handler(BaseHTTPRequestHandler):
    state: ProviderState

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _override(self, path: str) -> None:
        # The site hangs up on a misbehaving answer, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.state.overrides[path](self)
        self.close_connection = True

    def _json(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        return {key: values[-1] for key, values in parse_qs(raw).items()}

    def _bearer_user(self):
        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip()
        return self.state.tokens.get(token)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        self.state.requests.append(f"GET {url.path}")
        if url.path in self.state.overrides:
            return self._override(url.path)
        if url.path in ("/oauth2/authorize", "/oauth/authorize"):
            return self._authorize(url.path, query)
        if url.path == "/rest/v1/me":
            user = self._bearer_user()
            return self._json(200, user) if user else self._json(403, {"error": "auth"})
        if url.path == "/api/v1/accounts/verify_credentials":
            user = self._bearer_user()
            return self._json(200, user) if user else self._json(401, {"error": "auth"})
        return self._json(404, {"error": "not found"})

    def _authorize(self, path: str, query: dict) -> None:
        client = self.state.clients.get(query.get("client_id", ""))
        redirect = query.get("redirect_uri", "")
        if client is None or query.get("response_type") != "code":
            return self._json(400, {"error": "invalid_client"})
        if client["redirect"] is not None and client["redirect"] != redirect:
            return self._json(400, {"error": "invalid_redirect_uri"})
        user = WORDPRESS_USER if path == "/oauth2/authorize" else MASTODON_USER
        code = secrets.token_urlsafe(12)
        with self.state.lock:
            self.state.codes[code] = {
                "client_id": query["client_id"],
                "redirect_uri": redirect,
                "user": user,
            }
        target = redirect + ("&" if "?" in redirect else "?")
        target += urlencode({"code": code, "state": query.get("state", "")})
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        form = self._form()
        self.state.requests.append(f"POST {url.path}")
        if url.path in self.state.overrides:
            return self._override(url.path)
        if url.path == "/api/v1/apps":
            if not form.get("client_name") or not form.get("redirect_uris"):
                return self._json(422, {"error": "Validation failed"})
            client_id = secrets.token_urlsafe(8)
            secret = secrets.token_urlsafe(16)
            with self.state.lock:
                self.state.clients[client_id] = {
                    "secret": secret,
                    "redirect": form["redirect_uris"],
                }
                self.state.registrations.append(form)
            return self._json(
                200,
                {
                    "id": str(len(self.state.registrations)),
                    "name": form["client_name"],
                    "website": form.get("website"),
                    "redirect_uri": form["redirect_uris"],
                    "client_id": client_id,
                    "client_secret": secret,
                },
            )
        if url.path in ("/oauth2/token", "/oauth/token"):
            return self._token(form)
        return self._json(404, {"error": "not found"})

    def _token(self, form: dict) -> None:
        with self.state.lock:
            grant = self.state.codes.pop(form.get("code", ""), None)
        client = self.state.clients.get(form.get("client_id", ""))
        if (
            grant is None
            or client is None
            or form.get("grant_type") != "authorization_code"
            or client["secret"] != form.get("client_secret")
            or grant["client_id"] != form.get("client_id")
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return self._json(400, {"error": "invalid_grant"})
        token = secrets.token_urlsafe(16)
        self.state.tokens[token] = grant["user"]
        return self._json(
            200, {"access_token": token, "token_type": "bearer", "scope": "auth"}
        )


class OAuthServer:
    def __init__(self) -> None:
        self.state = ProviderState()
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.host}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def oauth_server():
    server = OAuthServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
