"""One error object for every refusal: ``{"error": {"code", "message", "fields"}}``.

The API's own refusals raise :class:`ApiError`; what the actions raise
(``PermissionDenied``, ``ValidationError``), what the credentials raise and
what django-ninja raises while reading a request are turned into the same
shape by the handlers :func:`install` registers.
"""

from __future__ import annotations

import json
import logging
import math

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from afterword.credentials.auth import CredentialError, RateLimited

logger = logging.getLogger(__name__)

# Status -> the code a client can switch on when nothing more precise applies.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "rate_limited",
    500: "server_error",
}


class ApiError(Exception):
    """A refusal with its status, code, message and per-field messages."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "",
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def error_body(status: int, message: str, *, code: str = "", fields=None) -> dict:
    return {
        "error": {
            "code": code or CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }


def error_response(
    status: int, message: str, *, code: str = "", fields=None, headers=None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(error_body(status, message, code=code, fields=fields)),
        status=status,
        content_type="application/json",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(location: list) -> str:
    """``["body", "payload", "tags", 0]`` as ``tags.0``: where the client put it."""
    parts = [str(p) for p in location]
    if parts and parts[0] in ("body", "query", "path", "header", "form", "file"):
        parts = parts[1:]
        # The body's own parameter name is ours, not the client's.
        if parts and parts[0] in ("payload", "data"):
            parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in errors:
        name = _field_name(list(item.get("loc", [])))
        kind = item.get("type", "")
        if kind == "extra_forbidden":
            message = _("This field is not part of the resource.")
        elif kind == "missing":
            message = _("This field is required.")
        else:
            message = str(item.get("msg", _("This value is not valid.")))
        fields.setdefault(name, message)
    return fields


def django_fields(exc: DjangoValidationError) -> tuple[str, dict[str, str]]:
    if hasattr(exc, "error_dict"):
        fields = {
            ("body" if name == "__all__" else name): " ".join(messages)
            for name, messages in exc.message_dict.items()
        }
        return " ".join(fields.values()), fields
    return " ".join(exc.messages), {}


def install(api) -> None:
    """Register the handlers turning every exception into the error object."""

    def on_api_error(request, exc: ApiError):
        return error_response(
            exc.status,
            exc.message,
            code=exc.code,
            fields=exc.fields,
            headers=exc.headers,
        )

    def on_ninja_validation(request, exc: NinjaValidationError):
        fields = validation_fields(exc.errors)
        if any(item.get("type") == "json_invalid" for item in exc.errors) or (
            "body" in fields and not fields["body"].strip()
        ):
            return error_response(400, _("The body is not valid JSON."))
        return error_response(
            422, _("Some fields are not valid."), fields=fields, code="invalid"
        )

    def on_authentication(request, exc: AuthenticationError):
        return error_response(
            401,
            _("Send an app password (Basic) or a token (Bearer) in Authorization."),
            headers={"WWW-Authenticate": 'Basic realm="api", Bearer realm="api"'},
        )

    def on_http_error(request, exc: HttpError):
        return error_response(exc.status_code, str(exc))

    def on_credential(request, exc: CredentialError):
        status = getattr(exc, "status", 401)
        code = getattr(exc, "error", "") or CODES.get(status, "error")
        headers = {}
        if status == 401:
            headers["WWW-Authenticate"] = (
                f'Bearer realm="api", error="{code}", Basic realm="api"'
            )
        return error_response(status, str(exc), code=code, headers=headers)

    def on_rate(request, exc: RateLimited):
        wait = max(1, math.ceil(exc.retry_after))
        return error_response(
            429,
            _("Too many requests with this credential; try again shortly."),
            headers={"Retry-After": str(wait)},
        )

    def on_permission(request, exc: PermissionDenied):
        return error_response(403, str(exc) or _("You are not allowed to do that."))

    def on_django_validation(request, exc: DjangoValidationError):
        message, fields = django_fields(exc)
        return error_response(422, message, fields=fields)

    def on_404(request, exc: Http404):
        return error_response(404, _("Nothing here by that name."))

    def on_too_big(request, exc: Exception):
        return error_response(413, _("The request body is too large."))

    def on_bad_form(request, exc: MultiPartParserError):
        return error_response(400, _("The multipart body could not be read."))

    def on_unexpected(request, exc: Exception):
        # Logged like Django logs a view's exception; the client gets the
        # same error object as for any other refusal.
        logger.exception("API request failed: %s %s", request.method, request.path)
        return error_response(500, _("Something went wrong on our side."))

    api.add_exception_handler(Exception, on_unexpected)
    api.add_exception_handler(MultiPartParserError, on_bad_form)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(CredentialError, on_credential)
    api.add_exception_handler(RateLimited, on_rate)
    api.add_exception_handler(PermissionDenied, on_permission)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(TooManyFieldsSent, on_too_big)
