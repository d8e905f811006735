"""Who is calling: an application password or a bearer token, never a cookie.

The API and Micropub accept exactly two credentials, both in the
``Authorization`` header: ``Basic`` with the writer's username and one of
their application passwords (as WordPress does), or ``Bearer`` with a token
issued through IndieAuth. A session cookie is deliberately not one of them:
a write can then never be forged from another site with the reader's
cookies, so these endpoints need no CSRF token.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.accounts.roles import role_of
from afterword.core import ratecount

from . import scopes as scope_names
from .models import AccessToken, AppPassword
from .secrets import digest

# last_used_at is written at most this often per credential, so a busy
# client does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class CredentialError(Exception):
    """The request's credential is missing its mark; ``status`` 401 or 403."""

    def __init__(
        self, message: str, *, status: int = 401, error: str = "invalid_token"
    ):
        super().__init__(message)
        self.status = status
        self.error = error


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(
            _("Too many requests; try again in %(s)d seconds.") % {"s": retry_after}
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Credential:
    user: object
    scopes: frozenset[str]
    kind: str  # "app-password" or "token"
    id: int
    client_id: str = ""

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def rate_key(self) -> str:
        return f"{self.kind}:{self.id}"


def authenticate(request) -> Credential | None:
    """The credential in ``request``'s Authorization header, or None if none."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.strip():
        return None
    kind, _space, value = header.strip().partition(" ")
    kind = kind.lower()
    if kind == "bearer":
        return authenticate_bearer(value.strip())
    if kind == "basic":
        return _authenticate_basic(value.strip())
    raise CredentialError(
        _("Use HTTP Basic with an application password, or a Bearer token.")
    )


def authenticate_bearer(raw_token: str) -> Credential:
    if not raw_token:
        raise CredentialError(_("The access token is empty."))
    token = (
        AccessToken.objects.usable()
        .select_related("user")
        .filter(token_hash=digest(raw_token))
        .first()
    )
    if token is None:
        raise CredentialError(_("This access token is unknown, expired or revoked."))
    _check_user(token.user)
    _mark_used(token)
    return Credential(
        user=token.user,
        scopes=scope_names.normalise(token.scopes),
        kind="token",
        id=token.pk,
        client_id=token.client_id,
    )


def _authenticate_basic(value: str) -> Credential:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise CredentialError(
            _("The Basic credentials are not valid base64.")
        ) from None
    username, colon, password = decoded.partition(":")
    if not colon or not username or not password:
        raise CredentialError(_("Basic credentials need a username and a password."))
    app_password = (
        AppPassword.objects.usable()
        .select_related("user")
        .filter(secret_hash=digest(password))
        .first()
    )
    user_model = get_user_model()
    if (
        app_password is None
        or getattr(app_password.user, user_model.USERNAME_FIELD) != username
    ):
        raise CredentialError(
            _(
                "Wrong username or application password (an account password "
                "is not accepted here; make an application password in the desk)."
            )
        )
    _check_user(app_password.user)
    _mark_used(app_password)
    return Credential(
        user=app_password.user,
        scopes=scope_names.normalise(app_password.scopes),
        kind="app-password",
        id=app_password.pk,
    )


def _check_user(user) -> None:
    if not user.is_active or role_of(user) is None:
        raise CredentialError(
            _("This account is not a writer on this site any more."), status=401
        )


def _mark_used(row) -> None:
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        type(row).objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now


def require_scope(credential: Credential, scope: str) -> None:
    if not credential.allows(scope):
        raise CredentialError(
            _("This credential does not have the “%(scope)s” scope.")
            % {"scope": scope},
            status=403,
            error="insufficient_scope",
        )


def rate_limit() -> int:
    return int(getattr(settings, "AFTERWORD_API_RATE_PER_MINUTE", 1200))


def check_rate(credential: Credential) -> None:
    """A sliding one-minute window per credential, shared through the cache."""
    limit = rate_limit()
    if limit <= 0:
        return
    attempt = ratecount.count_attempt(f"api-rate:{credential.rate_key}", 60)
    if attempt.over(limit):
        raise RateLimited(retry_after=attempt.seconds_until_allowed(limit))
