"""Only app passwords and tokens authenticate; scopes and rate limits hold."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from afterword.credentials import scopes
from afterword.credentials.actions import RevokeAppPassword
from afterword.credentials.models import AccessToken, AppPassword
from afterword.posts.models import Post

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_no_credential_is_401_with_the_error_object():
    response = ApiClient().get("/api/v1/posts")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "Basic" in response["WWW-Authenticate"]


def test_a_session_cookie_is_not_a_credential(writer_with_role):
    editor = writer_with_role("editor")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    # The desk answers the session...
    assert browser.get("/desk/").status_code == 200
    # ...the API does not, for reading or writing.
    api = ApiClient(client=browser)
    assert api.get("/api/v1/posts").status_code == 401
    write = api.post("/api/v1/posts", {"title": "Forged from another site"})
    assert write.status_code == 401
    assert write.json()["error"]["code"] == "unauthorized"
    assert not Post.objects.exists()


def test_a_forged_or_wrong_password_is_401(api_as):
    api = api_as("editor")
    wrong = ApiClient(api.authorization[:-4] + "AAAA")
    assert wrong.get("/api/v1/posts").status_code == 401
    garbage = ApiClient("Basic !!!not-base64")
    assert garbage.get("/api/v1/posts").status_code == 401
    unknown_scheme = ApiClient("Digest abc")
    assert unknown_scheme.get("/api/v1/posts").status_code == 401
    forged_token = ApiClient("Bearer aw_forged_0000000000000000")
    response = forged_token.get("/api/v1/posts")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_an_expired_token_or_revoked_password_is_401(api_as):
    with_token = api_as("editor", token=True)
    assert with_token.get("/api/v1/posts").status_code == 200
    AccessToken.objects.update(expires_at=timezone.now() - datetime.timedelta(1))
    assert with_token.get("/api/v1/posts").status_code == 401

    with_password = api_as("author")
    assert with_password.get("/api/v1/posts").status_code == 200
    RevokeAppPassword(AppPassword.objects.get(user=with_password.user)).run()
    assert with_password.get("/api/v1/posts").status_code == 401


def test_a_read_only_credential_reads_but_never_writes(api_as):
    reader = api_as("administrator", scopes_={scopes.READ})
    assert reader.get("/api/v1/posts").status_code == 200
    refused = reader.post("/api/v1/posts", {"title": "Nope"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"
    assert not Post.objects.exists()


def test_a_credential_without_read_cannot_list(api_as):
    writer = api_as("editor", scopes_={scopes.DRAFT})
    assert writer.get("/api/v1/posts").status_code == 403
    assert writer.post("/api/v1/posts", {"title": "Blind"}).status_code == 201


def test_the_rate_limit_answers_429_with_retry_after(api_as, settings):
    settings.AFTERWORD_API_RATE_PER_MINUTE = 3
    api = api_as("editor")
    statuses = [api.get("/api/v1/tags").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get("/api/v1/tags")
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 120
    # Another credential has its own allowance.
    assert api_as("author").get("/api/v1/tags").status_code == 200
