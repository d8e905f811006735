"""A ``requests`` transport that sends every request through ``outbound``.

Libraries that speak ``requests`` (django-allauth's providers) get a session
from :func:`session`; whatever they ask for is checked, pinned, capped and
timed like the site's own calls. Redirects are followed (and re-checked)
inside ``outbound``, so the session never sees one. A refusal is raised as
:class:`OutboundRequestError`, which is both a ``requests.ConnectionError``
(what such libraries catch) and an :class:`OutboundError` (its message is
for a person).
"""

from __future__ import annotations

import functools
import io

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from . import client
from .errors import OutboundError


class OutboundRequestError(requests.exceptions.ConnectionError, OutboundError):
    """An outbound refusal or failure, seen through ``requests``."""


class OutboundAdapter(BaseAdapter):
    def __init__(
        self,
        purpose: str,
        timeout: float = client.DEFAULT_TIMEOUT,
        max_bytes: int = client.DEFAULT_MAX_BYTES,
    ) -> None:
        super().__init__()
        self.purpose = purpose
        self.timeout = timeout
        self.max_bytes = max_bytes

    def send(
        self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None
    ):
        # verify, cert and proxies are ignored on purpose: certificates are
        # always verified and connections always go straight to the address
        # that was checked.
        try:
            answer = client.request(
                request.method,
                request.url,
                purpose=self.purpose,
                headers=dict(request.headers),
                body=_body_bytes(request.body),
                timeout=_total_seconds(timeout, self.timeout),
                max_bytes=self.max_bytes,
            )
        except OutboundError as error:
            raise OutboundRequestError(str(error), request=request) from error
        return self._build_response(request, answer)

    def _build_response(self, request, answer: client.Response) -> requests.Response:
        response = requests.Response()
        response.status_code = answer.status
        response.reason = answer.reason
        headers = CaseInsensitiveDict()
        for name, value in answer.headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        response.headers = headers
        response.encoding = get_encoding_from_headers(headers)
        response.url = answer.url
        response.raw = io.BytesIO(answer.content)
        response._content = answer.content
        response._content_consumed = True
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        pass


def session(
    purpose: str,
    timeout: float = client.DEFAULT_TIMEOUT,
    max_bytes: int = client.DEFAULT_MAX_BYTES,
) -> requests.Session:
    """A ``requests.Session`` whose every request goes through ``outbound``."""
    result = requests.Session()
    result.trust_env = False  # no proxies or .netrc from the environment
    adapter = OutboundAdapter(purpose, timeout=timeout, max_bytes=max_bytes)
    result.adapters.clear()
    result.mount("http://", adapter)
    result.mount("https://", adapter)
    result.request = functools.partial(result.request, timeout=timeout)
    return result


def _total_seconds(timeout, default: float) -> float:
    if isinstance(timeout, int | float):
        return float(timeout)
    if isinstance(timeout, tuple):
        return float(sum(part for part in timeout if part)) or default
    return default


def _body_bytes(body) -> bytes | None:
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return body.read()
    return b"".join(part.encode() if isinstance(part, str) else part for part in body)
