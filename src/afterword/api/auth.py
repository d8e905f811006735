"""Who is asking, with what scopes, and how fast.

The only credentials are those ``credentials.auth.authenticate`` reads from
the ``Authorization`` header (an app password as Basic, a token as Bearer):
a session cookie is never one, so a browser page cannot make a signed-in
writer's browser write through the API, and no CSRF token is needed.

Every request also passes the body-size cap and the credential's rate limit
here, before django-ninja reads the body. Reading needs the ``read`` scope;
each write asks for its own scope with :func:`need`, and the writer's role
is then checked by the action it runs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.security.base import AuthBase

from afterword.credentials import auth as credentials
from afterword.credentials import scopes

from .errors import ApiError

DEFAULT_MAX_BODY = 2**20
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def max_body() -> int:
    return getattr(settings, "AFTERWORD_API_MAX_BODY", DEFAULT_MAX_BODY)


def max_upload_body() -> int:
    # The file itself is capped by the media app; the form around it is small.
    return settings.AFTERWORD_MAX_UPLOAD_BYTES + 64 * 1024


def check_body_size(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, _("Content-Length is not a number.")) from None
    multipart = request.content_type == "multipart/form-data"
    limit = max_upload_body() if multipart else max_body()
    if length > limit:
        raise ApiError(
            413,
            _("The request body is larger than %(limit)d bytes.") % {"limit": limit},
        )


NUL_MESSAGE = gettext_lazy("Text cannot contain the NUL character (U+0000).")
FORM = "application/x-www-form-urlencoded"


def _strings_in(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)


def check_no_nul(request) -> None:
    """Refuse NUL in any text sent (query, form fields, JSON), with a 422.

    No field stores it, and PostgreSQL refuses it in any text it is given or
    asked to compare, so it would otherwise surface as a server error from
    whichever action or filter met it first. Uploaded files are bytes and
    may hold anything.
    """
    texts = [value for values in request.GET.lists() for value in values[1]]
    if request.method not in SAFE_METHODS:
        if request.content_type in ("multipart/form-data", FORM):
            texts += [value for values in request.POST.lists() for value in values[1]]
        elif b"\\u0000" in request.body or b"\x00" in request.body:
            # Not JSON: the parser answers that with its own message.
            with contextlib.suppress(ValueError):
                texts += list(_strings_in(json.loads(request.body)))
    if any("\x00" in text for text in texts):
        raise ApiError(422, str(NUL_MESSAGE), code="invalid")


def credential_for(request):
    """The request's credential, or None (no Authorization header)."""
    check_body_size(request)
    check_no_nul(request)
    credential = credentials.authenticate(request)
    if credential is None:
        return None
    credentials.check_rate(credential)
    if request.method in SAFE_METHODS:
        credentials.require_scope(credential, scopes.READ)
    request.credential = credential
    return credential


class AppPassword(AuthBase):
    """An app password: ``Authorization: Basic base64(username:password)``.

    Reads a bearer token too: ``credentials.auth`` tells the two apart, and
    :class:`Token` only names the second scheme in the OpenAPI schema.
    """

    openapi_type = "http"
    openapi_scheme = "basic"

    def __call__(self, request):
        return credential_for(request)


class Token(AuthBase):
    """A token from IndieAuth sign-in: ``Authorization: Bearer <token>``."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request):
        return getattr(request, "credential", None)


AUTH = [AppPassword(), Token()]


def need(request, scope: str) -> None:
    """Refuse (403 insufficient_scope) a credential without ``scope``."""
    credentials.require_scope(request.auth, scope)


def user(request):
    return request.auth.user
