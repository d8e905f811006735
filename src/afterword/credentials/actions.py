"""Making, using up and revoking credentials: each one an action."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.accounts.roles import role_of
from afterword.core.actions import Action

from . import scopes as scope_names
from .models import AccessToken, AppPassword, AuthorizationCode
from .secrets import digest, new_app_password, new_token

CODE_LIFETIME = timedelta(minutes=10)


def _may_manage(acting, owner) -> bool:
    """A writer manages their own credentials; an administrator anyone's."""
    if acting is None:  # the command line, acting as the installation
        return True
    return acting.pk == owner.pk or acting.has_perm("accounts.change_user")


class CreateAppPassword(Action):
    """A new application password for ``owner``; the plain text is returned once."""

    name = "credentials.create_app_password"

    def __init__(self, owner, name: str, scopes=scope_names.ALL, *, user=None):
        super().__init__(user=user)
        self.owner = owner
        self.label = (name or "").strip()
        self.scopes = scope_names.normalise(scopes)

    def check(self) -> None:
        if not _may_manage(self.user, self.owner):
            raise PermissionDenied(
                _("You may only make application passwords for your own account.")
            )
        if role_of(self.owner) is None or not self.owner.is_active:
            raise ValidationError(
                _("Only writers (contributors and up) can have application passwords.")
            )
        if not self.label:
            raise ValidationError(_("Give the application password a name."))
        if len(self.label) > 100:
            raise ValidationError(_("The name is longer than 100 characters."))
        if not self.scopes:
            raise ValidationError(_("Choose at least one scope."))

    def execute(self) -> tuple[AppPassword, str]:
        plain = new_app_password()
        row = AppPassword.objects.create(
            user=self.owner,
            name=self.label,
            secret_hash=digest(plain),
            scopes=scope_names.as_text(self.scopes),
        )
        return row, plain


class RevokeAppPassword(Action):
    name = "credentials.revoke_app_password"

    def __init__(self, app_password: AppPassword, *, user=None):
        super().__init__(user=user)
        self.app_password = app_password

    def check(self) -> None:
        if not _may_manage(self.user, self.app_password.user):
            raise PermissionDenied(
                _("You may only revoke your own application passwords.")
            )

    def execute(self) -> AppPassword:
        row = self.app_password
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
        return row


def pkce_matches(verifier: str, challenge: str, method: str) -> bool:
    """RFC 7636: BASE64URL(SHA256(verifier)) without padding equals the challenge."""
    if method != "S256" or not verifier or not challenge:
        return False
    if not 43 <= len(verifier) <= 128:
        return False
    computed = (
        base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        )
        .rstrip(b"=")
        .decode()
    )
    return hmac.compare_digest(computed, challenge)


class IssueAuthorizationCode(Action):
    """The writer said yes on the consent screen: a code for the client."""

    name = "credentials.issue_authorization_code"

    def __init__(
        self,
        owner,
        *,
        client_id: str,
        redirect_uri: str,
        scopes,
        code_challenge: str,
        code_challenge_method: str = "S256",
        me: str = "",
        user=None,
    ):
        super().__init__(user=user)
        self.owner = owner
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.scopes = scope_names.normalise(scopes)
        self.code_challenge = code_challenge
        self.code_challenge_method = code_challenge_method
        self.me = me

    def check(self) -> None:
        if self.user is not None and self.user.pk != self.owner.pk:
            raise PermissionDenied(
                _("Only the writer signing in can approve a client.")
            )
        if role_of(self.owner) is None:
            raise ValidationError(
                _("Only writers can sign in to tools with this site.")
            )
        if self.code_challenge_method != "S256" or not self.code_challenge:
            raise ValidationError(_("The client must use PKCE with S256."))

    def execute(self) -> tuple[AuthorizationCode, str]:
        plain = new_token("afc")
        row = AuthorizationCode.objects.create(
            user=self.owner,
            client_id=self.client_id,
            redirect_uri=self.redirect_uri,
            scopes=scope_names.as_text(self.scopes),
            code_challenge=self.code_challenge,
            code_challenge_method=self.code_challenge_method,
            me=self.me,
            code_hash=digest(plain),
            expires_at=timezone.now() + CODE_LIFETIME,
        )
        return row, plain


class RedeemAuthorizationCode(Action):
    """Exchange a code (once, with its PKCE verifier) for a token.

    A code that was already used is refused, and the token it gave is
    revoked: a replay means the code leaked (RFC 6749 section 4.1.2).
    A profile-only code (no scopes) gives no token.
    """

    name = "credentials.redeem_authorization_code"

    def __init__(
        self,
        plain_code: str,
        *,
        client_id: str,
        redirect_uri: str,
        code_verifier: str,
        token_lifetime: timedelta | None = timedelta(days=90),
    ):
        super().__init__(user=None)
        self.plain_code = plain_code or ""
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.code_verifier = code_verifier or ""
        self.token_lifetime = token_lifetime

    def check(self) -> None:
        if not self.plain_code:
            raise ValidationError(_("The authorization code is missing."))

    def execute(self) -> tuple[AccessToken | None, str, AuthorizationCode]:
        code = (
            AuthorizationCode.objects.select_for_update(of=("self",))
            .select_related("user", "token")
            .filter(code_hash=digest(self.plain_code))
            .first()
        )
        if code is None:
            raise ValidationError(_("This authorization code is unknown."))
        if code.used_at is not None:
            # Rolled back with the rest; run() revokes after the rollback.
            raise _Replayed(_("This authorization code was already used."))
        if code.expires_at <= timezone.now():
            raise ValidationError(_("This authorization code has expired."))
        if code.client_id != self.client_id or code.redirect_uri != self.redirect_uri:
            raise ValidationError(
                _(
                    "The client_id or redirect_uri differs from the authorization "
                    "request."
                )
            )
        if not pkce_matches(
            self.code_verifier, code.code_challenge, code.code_challenge_method
        ):
            raise ValidationError(
                _("The code_verifier does not match the code_challenge.")
            )
        code.used_at = timezone.now()
        token, plain = None, ""
        if code.scopes:
            plain = new_token("aft")
            token = AccessToken.objects.create(
                user=code.user,
                client_id=code.client_id,
                scopes=code.scopes,
                me=code.me,
                token_hash=digest(plain),
                expires_at=(
                    timezone.now() + self.token_lifetime
                    if self.token_lifetime
                    else None
                ),
            )
            code.token = token
        code.save(update_fields=["used_at", "token"])
        return token, plain, code

    def run(self):
        # A replay must still commit the revocation it made, then refuse.
        try:
            return super().run()
        except _Replayed as replay:
            self._revoke_after_replay()
            raise ValidationError(str(replay.message)) from None

    def _revoke_after_replay(self) -> None:
        code = AuthorizationCode.objects.filter(
            code_hash=digest(self.plain_code)
        ).first()
        if code and code.token_id:
            AccessToken.objects.filter(
                pk=code.token_id, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())


class _Replayed(ValidationError):
    pass


class RevokeToken(Action):
    name = "credentials.revoke_token"

    def __init__(self, token: AccessToken, *, user=None):
        super().__init__(user=user)
        self.token = token

    def check(self) -> None:
        if self.user is not None and not _may_manage(self.user, self.token.user):
            raise PermissionDenied(_("You may only revoke your own tokens."))

    def execute(self) -> AccessToken:
        if self.token.revoked_at is None:
            self.token.revoked_at = timezone.now()
            self.token.save(update_fields=["revoked_at"])
        return self.token
