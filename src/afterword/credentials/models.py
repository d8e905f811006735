"""Credentials a writer gives to tools: application passwords and tokens.

Only a hash of each secret is stored (``credentials.secrets``); the secret
itself is shown once, when it is made. Revoking keeps the row (so the desk
can still say when it was last used) and makes it useless at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CredentialQuerySet(models.QuerySet):
    def usable(self):
        """Not revoked, and (for what expires) not expired."""
        now = timezone.now()
        rows = self.filter(revoked_at__isnull=True)
        if "expires_at" in {f.name for f in self.model._meta.fields}:
            rows = rows.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        return rows


class AppPassword(models.Model):
    """A password for one tool, used with the writer's username (HTTP Basic).

    It works only for the API and Micropub, never to sign in to the site.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="app_passwords",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=100)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application password")

    def __str__(self) -> str:
        return self.name


class AccessToken(models.Model):
    """A bearer token issued through IndieAuth/OAuth to one client."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="access_tokens",
        on_delete=models.CASCADE,
    )
    client_id = models.URLField(max_length=500)
    client_name = models.CharField(max_length=200, blank=True)
    scopes = models.CharField(max_length=100, blank=True)
    me = models.URLField(max_length=500, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.client_name or self.client_id


class AuthorizationCode(models.Model):
    """A one-time code from the consent screen, redeemed with PKCE."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    client_id = models.URLField(max_length=500)
    redirect_uri = models.URLField(max_length=1000)
    scopes = models.CharField(max_length=100, blank=True)
    code_challenge = models.CharField(max_length=128)
    code_challenge_method = models.CharField(max_length=10, default="S256")
    me = models.URLField(max_length=500, blank=True)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    token = models.ForeignKey(
        AccessToken,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    def __str__(self) -> str:
        return f"code for {self.client_id}"
