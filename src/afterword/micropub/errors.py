"""The error answers of the Micropub specification (section 3.8)."""

from __future__ import annotations

from django.http import JsonResponse

INVALID_REQUEST = "invalid_request"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
INSUFFICIENT_SCOPE = "insufficient_scope"

STATUS = {
    INVALID_REQUEST: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    INSUFFICIENT_SCOPE: 403,
}


class MicropubError(Exception):
    """A refusal, answered as ``{"error": ..., "error_description": ...}``."""

    def __init__(self, error: str, description: str, *, status: int | None = None):
        super().__init__(description)
        self.error = error
        self.description = str(description)
        self.status = status or STATUS[error]

    def response(self) -> JsonResponse:
        response = JsonResponse(
            {"error": self.error, "error_description": self.description},
            status=self.status,
        )
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        elif self.error == INSUFFICIENT_SCOPE:
            response["WWW-Authenticate"] = 'Bearer error="insufficient_scope"'
        return response


def invalid(description: str) -> MicropubError:
    return MicropubError(INVALID_REQUEST, description)
