"""Checking an authorization request before anyone is asked anything.

Two kinds of mistakes, answered differently (RFC 6749 section 4.1.2.1):

* a ``client_id`` or ``redirect_uri`` that is malformed, or a
  ``redirect_uri`` the client has not vouched for, raises
  :class:`UnverifiedClient`: the writer sees an error page and the browser is
  never sent to that address, which could belong to anyone;
* any other fault (no ``state``, no PKCE, another ``response_type``) raises
  :class:`RefusedRequest`, which goes back to the verified ``redirect_uri``
  as ``error=...``, as the client expects.

URLs follow the IndieAuth spec's rules (sections 3.2 to 3.4): ``http`` or
``https``, a path (``/`` when there is none), no fragment, no user name or
password, no ``.`` or ``..`` segments, a host name rather than an IP address
except the loopback ones.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _

from .clients import ClientInfo, describe_client

LOOPBACK = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}
DEFAULT_PORTS = {"http": 80, "https": 443}


class UnverifiedClient(Exception):
    """The client or its redirect address cannot be trusted; say so, don't redirect."""


class RefusedRequest(Exception):
    """A fault the client hears about at its (verified) ``redirect_uri``."""

    def __init__(self, error: str, description: str, redirect_uri: str, state: str):
        super().__init__(description)
        self.error = error
        self.description = description
        self.redirect_uri = redirect_uri
        self.state = state


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    state: str
    code_challenge: str
    code_challenge_method: str
    scope: str
    client: ClientInfo

    def as_fields(self) -> dict[str, str]:
        """The request again, for the consent form's hidden fields."""
        return {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "code_challenge": self.code_challenge,
            "code_challenge_method": self.code_challenge_method,
            "scope": self.scope,
        }


def canonical_client_id(value: str) -> str:
    """``client_id`` in its one spelling, or UnverifiedClient.

    The scheme and host are lower-cased and an empty path becomes ``/``
    (spec section 3.4), so ``https://App.example`` and ``https://app.example/``
    are the same client at the authorization and token endpoints.
    """
    parts = _url_parts(value, _("The client_id"))
    host = parts.hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and address not in LOOPBACK:
        raise UnverifiedClient(
            _("The client_id must use a host name, not an IP address.")
        )
    segments = parts.path.split("/")
    if "." in segments or ".." in segments:
        raise UnverifiedClient(_("The client_id must not contain . or .. segments."))
    return urlunsplit(
        (parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def _url_parts(value: str, what: str):
    try:
        parts = urlsplit(value or "")
        port = parts.port
    except ValueError:
        raise UnverifiedClient(
            _("%(what)s is not a valid address.") % {"what": what}
        ) from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise UnverifiedClient(
            _("%(what)s must be an http or https address.") % {"what": what}
        )
    if "#" in value:
        raise UnverifiedClient(
            _("%(what)s must not contain a fragment (#).") % {"what": what}
        )
    if parts.username is not None or parts.password is not None:
        raise UnverifiedClient(
            _("%(what)s must not contain a user name or password.") % {"what": what}
        )
    if port is not None and not 0 < port < 65536:
        raise UnverifiedClient(_("%(what)s has an invalid port.") % {"what": what})
    return parts


def origin(value: str) -> tuple[str, str, int]:
    parts = urlsplit(value)
    return (
        parts.scheme,
        (parts.hostname or "").lower(),
        parts.port or DEFAULT_PORTS.get(parts.scheme, 0),
    )


def check_redirect_uri(client_id: str, redirect_uri: str) -> ClientInfo:
    """The client's description, once ``redirect_uri`` is known to be its own.

    An address on the client's own scheme, host and port is; any other must
    be listed in what the client publishes at its ``client_id``.
    """
    _url_parts(redirect_uri, _("The redirect_uri"))
    client = describe_client(client_id)
    if origin(redirect_uri) == origin(client_id):
        return client
    if redirect_uri in client.redirect_uris:
        return client
    raise UnverifiedClient(
        _(
            "The app asked to send you back to %(redirect)s, which is not on "
            "its own address (%(client)s) and which the app does not list as "
            "one of its redirect addresses. Nothing was sent there."
        )
        % {"redirect": redirect_uri, "client": client_id}
    )


def parse(params) -> AuthorizationRequest:
    """The checked request from the query (or the consent form's fields)."""
    client_id = canonical_client_id(params.get("client_id", ""))
    redirect_uri = params.get("redirect_uri", "")
    client = check_redirect_uri(client_id, redirect_uri)
    state = params.get("state", "")

    def refuse(error: str, description: str):
        raise RefusedRequest(error, description, redirect_uri, state)

    if params.get("response_type", "") != "code":
        refuse("unsupported_response_type", _("Only response_type=code is supported."))
    if not state:
        refuse("invalid_request", _("The state parameter is missing."))
    challenge = params.get("code_challenge", "")
    method = params.get("code_challenge_method", "")
    if not challenge or method != "S256":
        refuse(
            "invalid_request",
            _(
                "PKCE is required: send a code_challenge with "
                "code_challenge_method=S256."
            ),
        )
    if not 43 <= len(challenge) <= 128:
        refuse("invalid_request", _("The code_challenge has the wrong length."))
    return AuthorizationRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        state=state,
        code_challenge=challenge,
        code_challenge_method=method,
        scope=" ".join(params.get("scope", "").split()),
        client=client,
    )


def redirect_address(redirect_uri: str, **values: str) -> str:
    """``redirect_uri`` with ``values`` added to its query (kept as it was)."""
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in values.items() if value is not None]
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment)
    )
