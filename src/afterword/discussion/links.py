"""Signed one-click links sent by email: moderate, confirm, unsubscribe.

A link carries what it does and to which row, signed with the site's secret
key, so it works without logging in. Following it (GET) shows a page with one
button; only the POST acts, so link scanners in mail systems change nothing.
Mail clients' RFC 8058 one-click unsubscribe POSTs to the same address.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from afterword.core.urls import absolute

SALT = "afterword.discussion.email-link"
MAX_AGE = 60 * 24 * 3600


def make(action: str, pk: int) -> str:
    token = signing.dumps({"a": action, "k": pk}, salt=SALT, compress=False)
    return absolute(reverse("discussion:email-action", kwargs={"token": token}))


def read(token: str) -> tuple[str, int] | None:
    """(action, pk) from a link token, or None when forged or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("k"), int):
        return None
    return str(data.get("a")), data["k"]
