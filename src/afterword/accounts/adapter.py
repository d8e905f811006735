"""allauth's account adapter: who may sign up, and where people land.

Local sign-up is closed unless the site opens it.

Readers comment as guests or through a login provider (which vouches for
who they are); an open sign-up form would let anyone make accounts with any
address. ``AFTERWORD_OPEN_SIGNUP=1`` opens it, and then every new address
must be verified by email before the account can sign in
(``ACCOUNT_EMAIL_VERIFICATION = "mandatory"`` in the settings).
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return bool(getattr(settings, "AFTERWORD_OPEN_SIGNUP", False))

    def get_login_redirect_url(self, request) -> str:
        """Writers land on their desk; readers go back to the site."""
        from django.urls import reverse

        from .roles import role_of

        if role_of(request.user) is not None:
            return reverse("desk:home")
        return super().get_login_redirect_url(request)
