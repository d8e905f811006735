"""Signing webhook bodies, and checking a signature the way a receiver should.

Every delivery carries ``Afterword-Signature: t=<unix time>,v1=<hex>``, where
the hex is HMAC-SHA256 keyed with the webhook's secret over the bytes
``"<t>.<body>"``. The time is part of what is signed, so a captured request
cannot be replayed later with a fresh time, and a receiver refuses one whose
time is too far from its own clock.

:func:`verify` is what a receiver written in Python can call (the tests do);
docs/webhooks.md describes the same steps for any language.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Afterword-Signature"
SCHEME = "v1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    signed = str(int(timestamp)).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``Afterword-Signature`` header's value for ``body``, timed now."""
    when = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={when},{SCHEME}={signature(secret, when, body)}"


def parse(header: str) -> tuple[int | None, list[str]]:
    """The time and the ``v1`` signatures a header holds (None when no time)."""
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == SCHEME and value:
            signatures.append(value.strip().lower())
    return timestamp, signatures


def verify(
    secret: str,
    header: str,
    body: bytes | str,
    tolerance: int = 300,
    *,
    now: float | None = None,
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret``, made within
    ``tolerance`` seconds of ``now`` (the receiver's clock).

    ``body`` must be the request's raw bytes as received, before any JSON
    parsing: re-encoding changes them. The comparison takes the same time
    whatever the signature, so it gives nothing away.
    """
    timestamp, signatures = parse(header)
    if timestamp is None or not signatures:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    expected = signature(secret, timestamp, raw)
    return any(hmac.compare_digest(expected, given) for given in signatures)
