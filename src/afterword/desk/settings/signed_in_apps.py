"""Signed-in apps: the IndieAuth tokens a writer has given, and revoking them.

Every writer has this screen (``/desk/settings/apps/``) for their own
tokens: each app's address, what it may do, when it was signed in and last
used. Revoke runs ``credentials.actions.RevokeToken``; the app's next request
is refused. Application passwords have their own screen.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from afterword.core.numbers import ascii_number
from afterword.credentials import scopes as scope_names
from afterword.credentials.actions import RevokeToken
from afterword.credentials.models import AccessToken
from afterword.desk.access import desk_view

MAX_ID = 2**62


def _revoke(request: HttpRequest) -> HttpResponse:
    token = get_object_or_404(
        AccessToken.objects.usable(),
        pk=ascii_number(request.POST.get("token", ""), maximum=MAX_ID),
        user=request.user,
    )
    RevokeToken(token, user=request.user).run()
    messages.success(
        request,
        _("%(app)s is signed out; it can no longer act for you.") % {"app": str(token)},
    )
    return redirect("desk:signed_in_apps")


@desk_view()
def screen(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _revoke(request)
    tokens = AccessToken.objects.usable().filter(user=request.user)
    apps = [
        {
            "token": token,
            "scopes": [
                scope_names.describe(scope)
                for scope in sorted(scope_names.normalise(token.scopes))
            ],
        }
        for token in tokens
    ]
    return TemplateResponse(
        request,
        "desk/settings/signed_in_apps.html",
        {"nav_current": "settings", "apps": apps},
    )
