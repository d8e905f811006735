"""The desk's application password screen, as a writer uses it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from afterword.credentials.auth import CredentialError, authenticate
from afterword.credentials.models import AppPassword
from tests import factories

from .helpers import basic_auth_header
from .test_credentials import request_with

pytestmark = pytest.mark.django_db

URL = reverse("desk:app_passwords")


def new_password_on(page: str) -> str:
    found = re.search(r"data-app-password>([^<]+)<", page)
    return found.group(1) if found else ""


def test_a_contributor_makes_one_sees_it_once_and_revokes_it(client):
    writer = factories.writer("contributor", "cleo")
    client.force_login(writer)
    made = client.post(URL, {"intent": "create", "name": "Quill", "scopes": ["draft"]})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    plain = new_password_on(made.content.decode())
    assert plain
    assert authenticate(request_with(basic_auth_header("cleo", plain))).scopes == {
        "draft"
    }
    again = client.get(URL).content.decode()
    assert "Quill" in again and plain not in again
    row = AppPassword.objects.get()
    revoked = client.post(URL, {"intent": "revoke", "id": row.pk}, follow=True)
    assert "no longer works" in revoked.content.decode()
    with pytest.raises(CredentialError):
        authenticate(request_with(basic_auth_header("cleo", plain)))


def test_bad_input_says_why_and_keeps_the_others(client):
    writer = factories.writer("author", "ada")
    client.force_login(writer)
    client.post(URL, {"intent": "create", "name": "Keep me", "scopes": ["read"]})
    empty = client.post(URL, {"intent": "create", "name": "", "scopes": []})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "This field is required" in page
    assert "Keep me" in page
    assert AppPassword.objects.count() == 1


def test_nobody_revokes_someone_elses_password_here(client):
    ada = factories.writer("author", "ada")
    grace = factories.writer("author", "grace")
    client.force_login(grace)
    client.post(URL, {"intent": "create", "name": "Grace's", "scopes": ["read"]})
    client.force_login(ada)
    row = AppPassword.objects.get()
    assert client.post(URL, {"intent": "revoke", "id": row.pk}).status_code == 404
    assert "Grace" not in client.get(URL).content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None


def test_readers_do_not_reach_the_screen(client):
    client.force_login(factories.UserFactory(username="reader"))
    assert client.get(URL).status_code in (302, 403)
