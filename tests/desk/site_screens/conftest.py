"""Accounts in each writer role, signed in through the client."""

from __future__ import annotations

import pytest

from afterword.accounts.actions import SetRole
from tests import factories


@pytest.fixture
def account_with_role(db):
    def make(role: str, username: str | None = None):
        account = factories.UserFactory(username=username or role)
        SetRole(account, role).run()
        return account

    return make


@pytest.fixture
def signed_in(client, account_with_role):
    """A client signed in with the given role: ``signed_in("editor")``."""

    def sign_in(role: str, username: str | None = None):
        account = account_with_role(role, username)
        client.force_login(account)
        return client

    return sign_in


@pytest.fixture
def administrator(signed_in):
    return signed_in("administrator")
