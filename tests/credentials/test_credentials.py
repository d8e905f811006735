"""Application passwords and tokens: made once, checked by hash, revocable."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from afterword.credentials import scopes as scope_names
from afterword.credentials.actions import (
    CreateAppPassword,
    IssueAuthorizationCode,
    RedeemAuthorizationCode,
    RevokeAppPassword,
)
from afterword.credentials.auth import (
    CredentialError,
    RateLimited,
    authenticate,
    check_rate,
    require_scope,
)
from afterword.credentials.models import AccessToken, AppPassword
from tests import factories

from .helpers import (
    basic_auth_header,
    bearer_header,
    make_app_password,
    make_token,
    pkce_pair,
)

pytestmark = pytest.mark.django_db


def request_with(header: str | None):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return RequestFactory().get("/api/v1/posts", **extra)


def test_app_password_is_stored_only_as_a_hash_and_authenticates():
    author = factories.writer("author", "ada")
    plain = make_app_password(author, "iA Writer")
    row = AppPassword.objects.get()
    assert plain.replace(" ", "") not in row.secret_hash
    credential = authenticate(request_with(basic_auth_header("ada", plain)))
    assert credential.user == author
    assert credential.scopes == scope_names.ALL
    assert credential.kind == "app-password"
    # Spaces are optional, as people paste them.
    squeezed = plain.replace(" ", "")
    assert authenticate(request_with(basic_auth_header("ada", squeezed))).id == row.pk
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_request_without_an_authorization_header_carries_no_credential():
    assert authenticate(request_with(None)) is None


@pytest.mark.parametrize(
    "header",
    [
        "Basic !!!not-base64",
        "Basic " + base64.b64encode(b"ada-no-colon").decode(),
        "Basic " + base64.b64encode(b"ada:wrong password").decode(),
        "Bearer aft_forged",
        "Bearer ",
        "Digest something",
    ],
)
def test_bad_credentials_are_refused_with_401(header):
    factories.writer("author", "ada")
    with pytest.raises(CredentialError) as refused:
        authenticate(request_with(header))
    assert refused.value.status == 401


def test_account_password_is_not_an_app_password():
    factories.writer("author", "ada")
    header = basic_auth_header("ada", "correct horse battery staple")
    with pytest.raises(CredentialError, match="application password"):
        authenticate(request_with(header))


def test_someone_elses_app_password_with_my_username_is_refused():
    factories.writer("author", "ada")
    other = factories.writer("author", "grace")
    plain = make_app_password(other)
    with pytest.raises(CredentialError):
        authenticate(request_with(basic_auth_header("ada", plain)))


def test_revoked_password_stops_working_at_once():
    author = factories.writer("author", "ada")
    plain = make_app_password(author)
    RevokeAppPassword(AppPassword.objects.get(), user=author).run()
    with pytest.raises(CredentialError):
        authenticate(request_with(basic_auth_header("ada", plain)))


def test_demoted_writer_credentials_stop_working():
    from afterword.accounts.actions import SetRole

    author = factories.writer("author", "ada")
    plain = make_app_password(author)
    SetRole(author, None).run()
    with pytest.raises(CredentialError, match="not a writer"):
        authenticate(request_with(basic_auth_header("ada", plain)))


def test_readers_cannot_have_app_passwords_and_writers_only_their_own():
    reader = factories.UserFactory(username="reader")
    with pytest.raises(ValidationError):
        CreateAppPassword(reader, "x").run()
    ada = factories.writer("author", "ada")
    grace = factories.writer("author", "grace")
    with pytest.raises(PermissionDenied):
        CreateAppPassword(grace, "x", user=ada).run()
    admin = factories.writer("administrator", "root")
    assert CreateAppPassword(grace, "for grace", user=admin).run()[0].user == grace
    with pytest.raises(ValidationError):
        CreateAppPassword(ada, "   ", user=ada).run()


def test_scopes_limit_what_a_credential_claims():
    author = factories.writer("author", "ada")
    plain = make_app_password(author, scopes={"read"})
    credential = authenticate(request_with(basic_auth_header("ada", plain)))
    require_scope(credential, "read")
    with pytest.raises(CredentialError) as refused:
        require_scope(credential, "publish")
    assert refused.value.status == 403
    assert refused.value.error == "insufficient_scope"


def test_micropub_scope_words_map_to_ours():
    assert scope_names.from_request("create media profile") == {"draft", "publish"}
    assert scope_names.from_request("read bogus") == {"read"}
    assert scope_names.from_request("profile") == frozenset()


def test_token_from_code_with_pkce_and_replay_revokes_it():
    author = factories.writer("author", "ada")
    verifier, challenge = pkce_pair()
    args = {
        "client_id": "https://app.example/",
        "redirect_uri": "https://app.example/cb",
    }
    _code, plain_code = IssueAuthorizationCode(
        author, scopes={"draft"}, code_challenge=challenge, user=author, **args
    ).run()
    with pytest.raises(ValidationError, match="code_verifier"):
        RedeemAuthorizationCode(plain_code, code_verifier="x" * 43, **args).run()
    token, plain, _ = RedeemAuthorizationCode(
        plain_code, code_verifier=verifier, **args
    ).run()
    assert authenticate(request_with(bearer_header(plain))).scopes == {"draft"}
    with pytest.raises(ValidationError, match="already used"):
        RedeemAuthorizationCode(plain_code, code_verifier=verifier, **args).run()
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CredentialError):
        authenticate(request_with(bearer_header(plain)))


def test_code_for_another_redirect_is_refused():
    author = factories.writer("author", "ada")
    verifier, challenge = pkce_pair()
    _code, plain_code = IssueAuthorizationCode(
        author,
        client_id="https://app.example/",
        redirect_uri="https://app.example/cb",
        scopes={"draft"},
        code_challenge=challenge,
        user=author,
    ).run()
    with pytest.raises(ValidationError, match="redirect_uri"):
        RedeemAuthorizationCode(
            plain_code,
            client_id="https://app.example/",
            redirect_uri="https://evil.example/cb",
            code_verifier=verifier,
        ).run()
    assert not AccessToken.objects.exists()


@override_settings(AFTERWORD_API_RATE_PER_MINUTE=3)
def test_rate_limit_is_per_credential():
    from django.core.cache import cache

    cache.clear()
    author = factories.writer("author", "ada")
    first = authenticate(request_with(bearer_header(make_token(author, {"read"}))))
    second = authenticate(request_with(bearer_header(make_token(author, {"read"}))))
    for _ in range(3):
        check_rate(first)
    with pytest.raises(RateLimited) as limited:
        check_rate(first)
    assert 1 <= limited.value.retry_after <= 120
    check_rate(second)


def test_cli_creates_prints_alone_lists_and_revokes(capsys):
    factories.writer("editor", "ada")
    call_command(
        "app_password", "create", "ada", "Quill on my phone", "--scope", "draft"
    )
    out = capsys.readouterr().out.strip().splitlines()
    plain = out[-1]
    assert len(plain.replace(" ", "")) == 24
    credential = authenticate(request_with(basic_auth_header("ada", plain)))
    assert credential.scopes == {"draft"}
    call_command("app_password", "list", "ada")
    listed = capsys.readouterr().out
    assert "Quill on my phone" in listed and "active" in listed
    call_command("app_password", "revoke", str(credential.id))
    with pytest.raises(CredentialError):
        authenticate(request_with(basic_auth_header("ada", plain)))
