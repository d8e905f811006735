"""Accounts holding each writer role, made the way an administrator makes them."""

from __future__ import annotations

import pytest

from afterword.accounts.actions import SetRole
from tests import factories

ROLE_NAMES = ("contributor", "author", "editor", "administrator")


@pytest.fixture
def role_user(db):
    """``role_user("author")``: a fresh account holding that role."""

    def make(role: str, username: str | None = None):
        account = factories.UserFactory(username=username or f"{role}-account")
        SetRole(account, role).run()
        account.refresh_from_db()
        return account

    return make
