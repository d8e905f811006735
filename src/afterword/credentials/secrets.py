"""Making and checking secrets: random, shown once, stored as a hash.

The secrets here carry at least 128 random bits, so a plain SHA-256 of
them is as strong as a slow password hash would be, and it lets a request
be checked with one indexed lookup instead of a 300 ms key-stretching
round on every API call.
"""

from __future__ import annotations

import hashlib
import secrets as _random

# No 0/O or 1/l/I: a person may have to copy an application password by eye.
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_app_password() -> str:
    """Six groups of four, as WordPress shows them: ``abcd efgh ...``.

    24 characters from 57 is about 140 bits. Spaces are optional on input.
    """
    chars = "".join(_random.choice(_ALPHABET) for _ in range(24))
    return " ".join(chars[i : i + 4] for i in range(0, 24, 4))


def new_token(prefix: str) -> str:
    """A bearer token or an authorization code: ``<prefix>_`` + 256 bits."""
    return f"{prefix}_{_random.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """The stored form of a secret (spaces ignored, as people paste them)."""
    return hashlib.sha256(secret.replace(" ", "").encode()).hexdigest()
