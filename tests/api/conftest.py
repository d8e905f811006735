"""Writers of each role, their credentials, and a client that sends them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from afterword.accounts.actions import SetRole
from afterword.credentials import scopes
from tests import factories
from tests.credentials.helpers import (
    basic_auth_header,
    bearer_header,
    make_app_password,
    make_token,
)

ROLES = ("contributor", "author", "editor", "administrator")


class ApiClient:
    """Django's test client with an Authorization header and JSON bodies."""

    def __init__(self, authorization: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.authorization = authorization

    def request(self, method: str, path: str, body=None, *, headers=None, **kw):
        headers = dict(headers or {})
        if self.authorization:
            headers.setdefault("Authorization", self.authorization)
        if kw.get("content_type") == "multipart/form-data":
            # The test client writes the multipart body and its boundary.
            del kw["content_type"]
            kw["data"] = body
        elif body is not None and "content_type" not in kw:
            kw["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kw["content_type"] = "application/json"
        elif body is not None:
            kw["data"] = body
        return getattr(self.client, method.lower())(path, headers=headers, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def client_of(user, scopes_=scopes.ALL, name="test") -> ApiClient:
    """A client holding a new app password of ``user``."""
    plain = make_app_password(user, name=name, scopes=scopes_)
    client = ApiClient(basic_auth_header(user.username, plain))
    client.user = user
    return client


@pytest.fixture
def writer_with_role(db):
    """``writer_with_role("author")``: a fresh account holding that role."""

    def make(role: str, username: str | None = None):
        account = factories.UserFactory(username=username or f"api-{role}")
        SetRole(account, role).run()
        account.refresh_from_db()
        return account

    return make


@pytest.fixture
def api_as(writer_with_role):
    """``api_as("editor")``: a client holding that role's app password with
    every scope (or ``scopes=...``); ``token=True`` uses a bearer token."""

    def make(role: str, *, scopes_=scopes.ALL, token=False, username=None):
        account = writer_with_role(role, username)
        if not token:
            return client_of(account, scopes_)
        client = ApiClient(bearer_header(make_token(account, " ".join(scopes_))))
        client.user = account
        return client

    return make
