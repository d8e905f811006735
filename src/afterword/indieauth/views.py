"""The pages a writer sees: the consent page and its answers.

``authorize`` (GET ``/indieauth/auth``) checks the request
(``authorization.parse``), sends a signed-out visitor to the usual sign-in
page and back, and shows a writer what the app asks for. ``consent`` (the
form's POST, behind Django's CSRF check) issues the code through
``credentials.actions.IssueAuthorizationCode`` and sends the browser back to
the app, or tells it the writer said no.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from afterword.accounts.roles import role_of
from afterword.credentials import scopes as scope_names
from afterword.credentials.actions import IssueAuthorizationCode
from afterword.posts import seo

from . import discovery
from .authorization import (
    AuthorizationRequest,
    RefusedRequest,
    UnverifiedClient,
    origin,
    parse,
    redirect_address,
)
from .grants import offered


def _page(request, template: str, context: dict, title: str, status: int = 200):
    context = {"meta": seo.page_meta(request, title=title, noindex=True), **context}
    return TemplateResponse(request, f"indieauth/{template}", context, status=status)


def _unverified(request, error: UnverifiedClient) -> HttpResponse:
    return _page(
        request,
        "error.html",
        {"message": str(error)},
        _("This app cannot sign you in"),
        status=400,
    )


def _back_to_client(auth_or_error, **values) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        redirect_address(
            auth_or_error.redirect_uri,
            **values,
            state=auth_or_error.state,
            iss=discovery.issuer(),
        )
    )


def _refused(error: RefusedRequest) -> HttpResponseRedirect:
    return _back_to_client(
        error, error=error.error, error_description=error.description
    )


def _not_a_writer(request) -> HttpResponse:
    return _page(
        request,
        "refused.html",
        {},
        _("Only writers can sign in to apps here"),
        status=403,
    )


def _checked(request: HttpRequest, params) -> AuthorizationRequest | HttpResponse:
    """The request, or the answer that stops it (error page, redirect, sign-in)."""
    try:
        auth = parse(params)
    except UnverifiedClient as error:
        return _unverified(request, error)
    except RefusedRequest as error:
        return _refused(error)
    if not request.user.is_authenticated:
        back = reverse("indieauth:authorize") + "?" + urlencode(auth.as_fields())
        return redirect_to_login(back, "account_login")
    if role_of(request.user) is None:
        return _not_a_writer(request)
    return auth


@never_cache
@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    auth = _checked(request, request.GET)
    if not isinstance(auth, AuthorizationRequest):
        return auth
    scopes = [
        {"value": scope, "label": scope_names.describe(scope)}
        for scope in offered(auth.scope)
    ]
    response = _page(
        request,
        "consent.html",
        {
            "auth": auth,
            "client": auth.client,
            "fields": auth.as_fields(),
            "me": discovery.profile_url(request.user),
            "scopes": scopes,
        },
        _("Sign in to an app"),
    )
    # Browsers hold a form's redirect to the page's form-action list; an
    # app on http (one on the writer's own computer) must be on it.
    scheme, host, port = origin(auth.redirect_uri)
    if scheme == "http":
        target = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        response._csp_update = {"form-action": [target]}
    return response


@never_cache
@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    auth = _checked(request, request.POST)
    if not isinstance(auth, AuthorizationRequest):
        return auth
    if request.POST.get("decision") != "allow":
        return _back_to_client(
            auth,
            error="access_denied",
            error_description=_("The writer did not allow this app."),
        )
    chosen = set(request.POST.getlist("grant")) & set(offered(auth.scope))
    try:
        _code, plain = IssueAuthorizationCode(
            request.user,
            client_id=auth.client_id,
            redirect_uri=auth.redirect_uri,
            scopes=chosen,
            code_challenge=auth.code_challenge,
            code_challenge_method=auth.code_challenge_method,
            me=discovery.profile_url(request.user),
            user=request.user,
        ).run()
    except (ValidationError, PermissionDenied):
        return _not_a_writer(request)
    return _back_to_client(auth, code=plain)
