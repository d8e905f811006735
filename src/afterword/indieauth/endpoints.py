"""The endpoints apps call server to server, answering in JSON.

None of them reads a cookie or a session: an app proves itself with what
the protocol gives it (a code and its PKCE verifier, a token), so they are
exempt from CSRF checks. Errors are OAuth's: ``{"error": ...,
"error_description": ...}`` with status 400 (401 for a missing or bad
credential).

* ``metadata``: RFC 8414's document (``discovery.metadata``);
* ``token``: POST exchanges a code for a token (IndieAuth 5.3.3); GET with a
  Bearer token says whose it is, for Micropub clients of the older spec;
  POST ``action=revoke`` is that spec's revocation;
* ``redeem_profile``: POST to the authorization endpoint exchanges a code
  for the writer's ``me`` only (IndieAuth 5.3.2);
* ``introspect``: RFC 7662, for a resource server holding any valid
  credential of this site;
* ``revoke``: RFC 7009, always 200.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterword.credentials import auth
from afterword.credentials.actions import RedeemAuthorizationCode, RevokeToken
from afterword.credentials.models import AccessToken
from afterword.credentials.secrets import digest

from . import discovery
from .authorization import UnverifiedClient, canonical_client_id
from .grants import as_words

REDEEM_FIELDS = ("code", "client_id", "redirect_uri", "code_verifier")


def _json(data: dict, status: int = 200, **headers) -> JsonResponse:
    response = JsonResponse(data, status=status)
    # Tokens and codes must not be kept by any cache on the way (RFC 6749 5.1).
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    extra = {}
    if status == 401:
        extra["WWW_Authenticate"] = f'Bearer error="{error}"'
    return _json({"error": error, "error_description": description}, status, **extra)


@require_GET
def metadata(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(discovery.metadata())
    # Apps running in a browser read it too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _redeem(request: HttpRequest):
    """The redeemed code (and token), or the JSON answer refusing it."""
    missing = [name for name in REDEEM_FIELDS if not request.POST.get(name)]
    if missing:
        return oauth_error(
            "invalid_request",
            _("Missing: %(names)s.") % {"names": ", ".join(missing)},
        )
    try:
        client_id = canonical_client_id(request.POST["client_id"])
    except UnverifiedClient as error:
        return oauth_error("invalid_request", str(error))
    try:
        return RedeemAuthorizationCode(
            request.POST["code"],
            client_id=client_id,
            redirect_uri=request.POST["redirect_uri"],
            code_verifier=request.POST["code_verifier"],
        ).run()
    except ValidationError as error:
        return oauth_error("invalid_grant", " ".join(error.messages))


@csrf_exempt
@require_POST
def redeem_profile(request: HttpRequest) -> HttpResponse:
    grant_type = request.POST.get("grant_type", "authorization_code")
    if grant_type != "authorization_code":
        return oauth_error(
            "unsupported_grant_type", _("Only authorization_code is supported here.")
        )
    redeemed = _redeem(request)
    if isinstance(redeemed, HttpResponse):
        return redeemed
    token, _plain, code = redeemed
    if token is not None:
        # The code carried scopes, but this endpoint hands out no token:
        # the one just made reached nobody, so it must not stay usable.
        RevokeToken(token).run()
    return _json({"me": code.me})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def token(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    if request.POST.get("action") == "revoke":
        return revoke(request)
    grant_type = request.POST.get("grant_type", "")
    if not grant_type:
        return oauth_error("invalid_request", _("Missing: grant_type."))
    if grant_type != "authorization_code":
        return oauth_error(
            "unsupported_grant_type", _("Only authorization_code is supported.")
        )
    redeemed = _redeem(request)
    if isinstance(redeemed, HttpResponse):
        return redeemed
    access_token, plain, code = redeemed
    if access_token is None:
        # Approved with no scope: an identity only, as the authorization
        # endpoint would have answered (no token for an empty scope).
        return _json({"me": code.me})
    answer = {
        "access_token": plain,
        "token_type": "Bearer",
        "scope": as_words(access_token.scopes),
        "me": access_token.me,
    }
    if access_token.expires_at is not None:
        answer["expires_in"] = max(
            0, int((access_token.expires_at - timezone.now()).total_seconds())
        )
    return _json(answer)


def _caller(request: HttpRequest):
    """The request's own credential, or the 401 answer."""
    try:
        credential = auth.authenticate(request)
    except auth.CredentialError as error:
        return oauth_error(error.error, str(error), status=401)
    if credential is None:
        return oauth_error(
            "invalid_token",
            _("Send a Bearer token or an application password in Authorization."),
            status=401,
        )
    return credential


def _verify(request: HttpRequest) -> HttpResponse:
    """Whose token is this? (the older IndieAuth token verification)."""
    credential = _caller(request)
    if isinstance(credential, HttpResponse):
        return credential
    if credential.kind == "token":
        row = AccessToken.objects.get(pk=credential.id)
        me, client_id = row.me, row.client_id
    else:
        me, client_id = discovery.profile_url(credential.user), ""
    return _json(
        {"me": me, "client_id": client_id, "scope": as_words(credential.scopes)}
    )


@csrf_exempt
@require_POST
def introspect(request: HttpRequest) -> HttpResponse:
    caller = _caller(request)
    if isinstance(caller, HttpResponse):
        return caller
    try:
        auth.check_rate(caller)
    except auth.RateLimited as limited:
        response = oauth_error("rate_limited", str(limited), status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    raw = request.POST.get("token", "")
    if not raw:
        return oauth_error("invalid_request", _("Missing: token."))
    try:
        credential = auth.authenticate_bearer(raw)
    except auth.CredentialError:
        return _json({"active": False})
    row = AccessToken.objects.get(pk=credential.id)
    answer = {
        "active": True,
        "me": row.me,
        "client_id": row.client_id,
        "scope": as_words(credential.scopes),
        "token_type": "Bearer",
        "iat": int(row.created_at.timestamp()),
    }
    if row.expires_at is not None:
        answer["exp"] = int(row.expires_at.timestamp())
    return _json(answer)


@csrf_exempt
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    """Make a token useless; the same 200 whatever the token was (RFC 7009 2.2)."""
    raw = request.POST.get("token", "")
    row = (
        AccessToken.objects.filter(
            token_hash=digest(raw), revoked_at__isnull=True
        ).first()
        if raw
        else None
    )
    if row is not None:
        RevokeToken(row).run()
    response = HttpResponse(b"", status=200)
    response["Cache-Control"] = "no-store"
    return response
