"""``request()``: the checks, the redirects and the answer of one outbound call."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlencode, urljoin

from django.conf import settings

from .addresses import Address, AllowList, is_public
from .connection import Answer, Target, exchange
from .errors import Deadline, OutboundError
from .resolving import resolve

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Headers this module writes itself: a caller's value is dropped.
OWN_HEADERS = {
    "host",
    "user-agent",
    "accept-encoding",
    "connection",
    "content-length",
    "transfer-encoding",
    "te",
    "upgrade",
    "keep-alive",
    "proxy-connection",
}
# Credentials go to the origin they were given for, never along a redirect.
CREDENTIAL_HEADERS = {"authorization", "cookie", "proxy-authorization"}


@dataclass(frozen=True)
class Response:
    """The final answer (after redirects): status, headers, address and bytes."""

    status: int
    reason: str
    headers: Message
    url: str
    content: bytes
    redirects: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        charset = self.headers.get_content_charset() or "utf-8"
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self):
        """The body parsed as JSON; OutboundError when it is not JSON."""
        try:
            return jsonlib.loads(self.content)
        except ValueError:
            raise OutboundError(
                f"{Target.parse(self.url).host} did not answer with JSON."
            ) from None

    def raise_for_status(self) -> Response:
        """OutboundError unless the status is 2xx; the response otherwise."""
        if not self.ok:
            raise OutboundError(
                f"{Target.parse(self.url).host} answered "
                f"{self.status} {self.reason}".rstrip()
                + "."
            )
        return self


def request(
    method: str,
    url: str,
    *,
    purpose: str,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    data: Mapping[str, str] | None = None,
    json: object = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    follow_redirects: bool = True,
    open_web: bool = False,
) -> Response:
    """Make one HTTP request from the site to the internet, safely.

    ``purpose`` names the feature (it goes into the User-Agent). At most one
    of ``body`` (bytes), ``data`` (a form, sent urlencoded) and ``json``.
    ``timeout`` is the total in seconds for everything, redirects included;
    ``max_bytes`` caps each answer's body. Non-2xx answers are returned
    (see ``Response.raise_for_status``); anything refused or failed raises
    :class:`OutboundError`.

    ``open_web`` is for federation and Webmention, which talk to servers
    nobody configured: every hop must be ``https`` unless the test-only
    switch ``AFTERWORD_FEDERATION_ALLOW_PRIVATE`` is on, which also lets
    them reach loopback and private addresses (see :func:`open_web_private`).
    """
    method = method.upper()
    target = Target.parse(url)
    header_list, body = _prepare(headers, body, data, json, purpose)
    deadline = Deadline(timeout, target.host)
    allow = AllowList.from_settings()
    private_ok = open_web and open_web_private()
    visited: list[str] = []
    while True:
        if open_web and not private_ok and target.scheme != "https":
            raise OutboundError(f"{target.url} is not an https address; refused.")
        addresses = checked_addresses(target, allow, deadline, private_ok=private_ok)
        send = list(header_list)
        if body is not None:
            send.append(("Content-Length", str(len(body))))
        elif method in ("POST", "PUT", "PATCH"):
            send.append(("Content-Length", "0"))
        answer = exchange(
            target,
            addresses,
            method,
            [("Host", target.host_header), *send],
            body,
            deadline,
            max_bytes,
        )
        location = answer.headers.get("Location")
        if not (follow_redirects and answer.status in REDIRECT_STATUSES and location):
            return _response(answer, target, visited)
        if len(visited) >= max_redirects:
            raise OutboundError(
                f"{deadline.host} redirected more than {max_redirects} times; gave up."
            )
        visited.append(target.url)
        following = Target.parse(urljoin(target.url, location.strip()))
        method, body, header_list = _for_redirect(
            answer.status, method, body, header_list, following.origin != target.origin
        )
        target = following


def _for_redirect(status, method, body, header_list, other_origin: bool):
    """The method, body and headers to send to the address a redirect names."""
    dropped = set()
    if other_origin:
        dropped |= CREDENTIAL_HEADERS
    if status == 303 or (status in (301, 302) and method == "POST"):
        # As browsers do: the form is not sent again to the new address.
        method = "HEAD" if method == "HEAD" else "GET"
        body = None
        dropped.add("content-type")
    kept = [(name, value) for name, value in header_list if name.lower() not in dropped]
    return method, body, kept


def open_web_private() -> bool:
    """The test-only switch: federation and Webmention may use plain http and
    reach loopback and private addresses. Never on in production."""
    return bool(getattr(settings, "AFTERWORD_FEDERATION_ALLOW_PRIVATE", False))


def checked_addresses(
    target: Target, allow: AllowList, deadline: Deadline, *, private_ok: bool = False
) -> list[Address]:
    """The addresses of the target's host that may be connected to.

    The host is resolved once, here; only addresses that pass are returned
    and exactly those are connected to, so a later DNS answer is never used.
    """
    found = resolve(target.host, target.port, deadline)
    usable = [
        address
        for address in found
        if private_ok
        or is_public(address)
        or allow.allows(target.host, address, target.port)
    ]
    if not usable:
        where = target.host
        if str(found[0]) != target.host:
            where += f" (at {', '.join(str(address) for address in found[:3])})"
        raise OutboundError(
            f"{where} is not on the public internet; the site does not "
            "connect to private, local or reserved addresses."
        )
    return usable


def check_url(url: str, *, timeout: float = 5.0) -> None:
    """Refuse, with :class:`OutboundError`, an address :func:`request` would
    refuse: not http(s), a user name in it, a host that cannot be found or is
    not on the public internet (and not allowed by ``AFTERWORD_OUTBOUND_ALLOW``).

    For forms that store an address the site will call later (webhooks): the
    person hears at once, and every request checks again anyway.
    """
    target = Target.parse(url)
    checked_addresses(target, AllowList.from_settings(), Deadline(timeout, target.host))


def user_agent(purpose: str) -> str:
    from afterword import __version__

    site = getattr(settings, "SITE_URL", "")
    return f"Afterword/{__version__} ({purpose}; +{site})"


def _prepare(headers, body, data, json, purpose):
    if sum(part is not None for part in (body, data, json)) > 1:
        raise ValueError("Give at most one of body, data and json.")
    header_list = []
    for name, value in (headers or {}).items():
        if any(char in f"{name}{value}" for char in "\r\n\0"):
            raise OutboundError(f"The header {name!r} is not valid; refused.")
        if name.lower() not in OWN_HEADERS:
            header_list.append((name, str(value)))
    given = {name.lower() for name, _ in header_list}
    if data is not None:
        body = urlencode(data).encode()
        if "content-type" not in given:
            header_list.append(("Content-Type", "application/x-www-form-urlencoded"))
    elif json is not None:
        body = jsonlib.dumps(json).encode()
        if "content-type" not in given:
            header_list.append(("Content-Type", "application/json"))
    header_list += [
        ("User-Agent", user_agent(purpose)),
        # Bodies are never decompressed here: the byte cap is the real size.
        ("Accept-Encoding", "identity"),
        ("Connection", "close"),
    ]
    return header_list, body


def _response(answer: Answer, target: Target, visited: list[str]) -> Response:
    return Response(
        status=answer.status,
        reason=answer.reason,
        headers=answer.headers,
        url=target.url,
        content=answer.content,
        redirects=tuple(visited),
    )


def get(url: str, **options) -> Response:
    return request("GET", url, **options)


def post(url: str, **options) -> Response:
    return request("POST", url, **options)


def head(url: str, **options) -> Response:
    return request("HEAD", url, **options)
