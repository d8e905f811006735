"""The Micropub endpoint and its media endpoint: authenticate, parse, hand over.

Neither reads a session or a cookie: a request is the token's writer or
nobody, so CSRF does not apply. Answers are never cached.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from afterword.credentials import scopes
from afterword.credentials.auth import (
    Credential,
    CredentialError,
    RateLimited,
    authenticate,
    authenticate_bearer,
    check_rate,
    require_scope,
)
from afterword.media.actions import UploadImage

from . import entries, parsing, queries
from .errors import (
    FORBIDDEN,
    INSUFFICIENT_SCOPE,
    UNAUTHORIZED,
    MicropubError,
    invalid,
)

WRITES: dict[str, Callable] = {
    "create": entries.create,
    "update": entries.update,
    "delete": entries.trash,
    "undelete": entries.restore,
}


def credential_for(request: HttpRequest) -> Credential:
    """The request's credential: an ``Authorization`` header, or an
    ``access_token`` form field (never both)."""
    in_body = ""
    if request.method == "POST" and not parsing.is_json(request):
        in_body = request.POST.get("access_token", "")
    try:
        credential = authenticate(request)
        if credential is not None and in_body:
            raise invalid(_("Send the token in the header or in the body, not both."))
        if credential is None and in_body:
            credential = authenticate_bearer(in_body)
        if credential is None:
            raise MicropubError(UNAUTHORIZED, _("This request needs an access token."))
        check_rate(credential)
    except CredentialError as error:
        raise _from_credential_error(error) from None
    return credential


def _from_credential_error(error: CredentialError) -> MicropubError:
    if error.status == 401:
        return MicropubError(UNAUTHORIZED, str(error))
    if error.error == "insufficient_scope":
        return MicropubError(INSUFFICIENT_SCOPE, str(error))
    return MicropubError(FORBIDDEN, str(error), status=error.status)


def _answer(run: Callable[[], HttpResponse]) -> HttpResponse:
    """Run a request, turning refusals into Micropub's error answers."""
    try:
        response = run()
    except MicropubError as error:
        response = error.response()
    except CredentialError as error:
        response = _from_credential_error(error).response()
    except RateLimited as error:
        response = JsonResponse(
            {
                "error": "rate_limited",
                "error_description": _("Too many requests; try again later."),
            },
            status=429,
        )
        response["Retry-After"] = str(error.retry_after)
    except PermissionDenied as error:
        response = MicropubError(
            FORBIDDEN, str(error) or _("Your role may not do this.")
        ).response()
    except ValidationError as error:
        response = invalid(" ".join(error.messages)).response()
    patch_cache_control(response, no_store=True, private=True)
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    def run() -> HttpResponse:
        credential = credential_for(request)
        if request.method == "GET":
            return JsonResponse(queries.answer(request, credential))
        submission = parsing.parse(request)
        post = WRITES[submission.action](submission, credential, request)
        if submission.action != "create":
            return HttpResponse(status=204)
        response = HttpResponse(status=201)
        response["Location"] = request.build_absolute_uri(post.get_absolute_url())
        return response

    return _answer(run)


@csrf_exempt
@require_http_methods(["POST"])
def media(request: HttpRequest) -> HttpResponse:
    def run() -> HttpResponse:
        credential = credential_for(request)
        require_scope(credential, scopes.DRAFT)
        upload = request.FILES.get("file")
        if upload is None:
            raise invalid(_("Send the image as the multipart field file."))
        image = UploadImage(upload, user=credential.user).run()
        response = HttpResponse(status=201)
        response["Location"] = request.build_absolute_uri(image.url)
        return response

    return _answer(run)
