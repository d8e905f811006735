"""Credentials for tests, made through the same actions as the desk and CLI."""

from __future__ import annotations

import base64
import hashlib
import secrets

from afterword.credentials import scopes as scope_names
from afterword.credentials.actions import (
    CreateAppPassword,
    IssueAuthorizationCode,
    RedeemAuthorizationCode,
)


def make_app_password(user, name: str = "test", scopes=scope_names.ALL) -> str:
    _row, plain = CreateAppPassword(user, name, scopes=scopes, user=user).run()
    return plain


def basic_auth_header(username: str, plain: str) -> str:
    pair = f"{username}:{plain}".encode()
    return "Basic " + base64.b64encode(pair).decode()


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    return verifier, challenge


def make_token(user, scopes, client_id: str = "https://client.example/") -> str:
    """A bearer token, through the same two actions the IndieAuth screens run.

    Tests of the API and Micropub that are not about signing in use this
    shortcut past the consent screen; tests/indieauth (and the Micropub
    conformance suite) obtain theirs through that screen in Chromium.
    """
    verifier, challenge = pkce_pair()
    redirect_uri = client_id.rstrip("/") + "/callback"
    _code, plain_code = IssueAuthorizationCode(
        user,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scopes=scope_names.normalise(scopes),
        code_challenge=challenge,
        user=user,
    ).run()
    _token, plain, _code = RedeemAuthorizationCode(
        plain_code,
        client_id=client_id,
        redirect_uri=redirect_uri,
        code_verifier=verifier,
    ).run()
    return plain


def bearer_header(plain: str) -> str:
    return f"Bearer {plain}"
