"""allauth's social-account adapter, with every provider call made through
``afterword.core.outbound`` (and its refusals shown to the reader)."""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render

from afterword.core.outbound import OutboundError
from afterword.core.outbound.requests_adapter import session

PURPOSE = "social login"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Signing in through a provider makes an account even while the
        # local sign-up form is closed (accounts.adapter): the provider has
        # vouched for who the reader is.
        return True

    def get_requests_session(self):
        # allauth's providers (token exchange, profile, OpenID discovery and
        # keys) all ask for this session: through it they get the outbound
        # helper's address checks, pinning, and byte and time limits.
        return session(PURPOSE, timeout=app_settings.REQUESTS_TIMEOUT)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        if isinstance(exception, OutboundError):
            # Say what went wrong with the reader's server, instead of
            # allauth's generic failure page.
            raise ImmediateHttpResponse(
                render(
                    request,
                    "social/login_failed.html",
                    {"provider": provider, "message": str(exception)},
                    status=502,
                )
            )
        return super().on_authentication_error(
            request,
            provider,
            error=error,
            exception=exception,
            extra_context=extra_context,
        )
