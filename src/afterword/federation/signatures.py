"""HTTP Signatures as the fediverse uses them (draft-cavage, ``rsa-sha256``).

Every delivery and every fetch the site makes is signed with the sending
actor's key over ``(request-target) host date`` (and ``digest`` and
``content-type`` when there is a body, with a ``Digest: SHA-256=…`` of it),
as Mastodon sends and expects. :func:`verify` checks an incoming request the
same way: the named headers must include the request target, the host, the
date and (for a body) the digest; the date must be within
``AFTERWORD_FEDERATION_CLOCK_SKEW`` seconds (an hour) of ours, so a captured
request cannot be replayed later; the digest must match the body. Finding
the key (and re-fetching it once after a failure) is the inbox's job.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings

PARAM = re.compile(r'(\w+)="([^"]*)"')
ALGORITHMS = {"rsa-sha256", "hs2019"}


class SignatureError(Exception):
    """The request's signature is missing, malformed, stale or wrong."""


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime | None = None) -> str:
    return format_datetime((moment or datetime.now(UTC)).astimezone(UTC), usegmt=True)


@functools.lru_cache(maxsize=64)
def _load_private(pem: str) -> rsa.RSAPrivateKey:
    # Loading checks the key, which costs tens of milliseconds: more than
    # signing and posting together. A worker sending one post to thousands
    # of inboxes loads the same key once.
    return serialization.load_pem_private_key(pem.encode(), password=None)


def _signing_string(names: list[str], method: str, target: str, headers) -> str:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        else:
            value = headers.get(name)
            if value is None:
                raise SignatureError(f"The signed header {name!r} is missing.")
            lines.append(f"{name}: {value.strip()}")
    return "\n".join(lines)


def sign(
    method: str,
    url: str,
    *,
    key_id: str,
    private_key_pem: str,
    body: bytes | None = None,
    content_type: str = "application/activity+json",
    accept: str = "",
) -> dict[str, str]:
    """The headers that sign this request (Date, Digest, Signature...)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"host": parts.netloc, "date": http_date()}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest(body)
        headers["content-type"] = content_type
        names += ["digest", "content-type"]
    elif accept:
        headers["accept"] = accept
        names.append("accept")
    text = _signing_string(names, method, target, headers)
    signature = _load_private(private_key_pem).sign(
        text.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    value = (
        f'keyId="{key_id}",algorithm="rsa-sha256",'
        f'headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    result = {
        "Date": headers["date"],
        "Signature": value,
    }
    if body is not None:
        result["Digest"] = headers["digest"]
        result["Content-Type"] = content_type
    if accept:
        result["Accept"] = accept
    return result


@dataclass(frozen=True)
class Signed:
    """A parsed Signature header."""

    key_id: str
    algorithm: str
    headers: list[str]
    signature: bytes


def parse(headers: Mapping[str, str]) -> Signed:
    raw = headers.get("signature") or ""
    if not raw:
        authorization = headers.get("authorization") or ""
        if authorization.lower().startswith("signature "):
            raw = authorization[len("signature ") :]
    if not raw:
        raise SignatureError("The request is not signed.")
    params = dict(PARAM.findall(raw))
    if "keyId" not in params or "signature" not in params:
        raise SignatureError("The Signature header has no keyId or signature.")
    algorithm = params.get("algorithm", "hs2019").lower()
    if algorithm not in ALGORITHMS:
        raise SignatureError(f"The signature algorithm {algorithm!r} is not supported.")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError:
        raise SignatureError("The signature is not valid base64.") from None
    names = params.get("headers", "date").lower().split()
    return Signed(params["keyId"], algorithm, names, signature)


def check_freshness(headers: Mapping[str, str]) -> None:
    raw = headers.get("date") or ""
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        raise SignatureError("The Date header is missing or malformed.") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    skew = getattr(settings, "AFTERWORD_FEDERATION_CLOCK_SKEW", 3600)
    if abs((datetime.now(UTC) - when).total_seconds()) > skew:
        raise SignatureError("The Date header is too far from now; refused.")


def check_required(signed: Signed, body: bytes) -> None:
    needed = {"(request-target)", "host", "date"}
    if body:
        needed.add("digest")
    missing = needed - set(signed.headers)
    if missing:
        raise SignatureError(
            "The signature does not cover " + ", ".join(sorted(missing)) + "."
        )


def check_digest(headers: Mapping[str, str], body: bytes) -> None:
    given = headers.get("digest") or ""
    for part in given.split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "sha-256":
            if value.strip() == digest(body).split("=", 1)[1]:
                return
            raise SignatureError("The Digest does not match the body.")
    raise SignatureError("The request has no SHA-256 Digest.")


def verify(
    signed: Signed,
    method: str,
    target: str,
    headers: Mapping[str, str],
    public_key_pem: str,
) -> None:
    """Raise SignatureError unless ``signed`` was made by this key.

    ``headers`` is a case-insensitive mapping of the request's headers;
    ``target`` the path with its query string.
    """
    text = _signing_string(signed.headers, method, target, headers)
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
    except ValueError:
        raise SignatureError("The actor's public key could not be read.") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("Only RSA keys are supported.")
    try:
        key.verify(signed.signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise SignatureError("The signature does not match.") from None
