"""Signed links in follower emails: confirm, manage, unsubscribe.

A confirmation link expires (``AFTERWORD_FOLLOW_CONFIRM_MAX_AGE`` seconds,
three days by default); the links to manage or stop a subscription do not,
since old emails must keep working. Each names the subscriber and a short
hash of the address, so a link never applies to a later row that happens to
get the same id.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

CONFIRM_SALT = "afterword.subscriptions.confirm"
MANAGE_SALT = "afterword.subscriptions.manage"


class InvalidLink(Exception):
    """A link that is forged, damaged, expired or no longer applies."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def address_hash(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:12]


def confirm_max_age() -> int:
    return int(getattr(settings, "AFTERWORD_FOLLOW_CONFIRM_MAX_AGE", 3 * 24 * 3600))


def confirm_token(follow) -> str:
    subscriber = follow.subscriber
    return signing.dumps(
        {"f": follow.pk, "s": subscriber.pk, "h": address_hash(subscriber.email)},
        salt=CONFIRM_SALT,
    )


def read_confirm_token(token: str) -> dict:
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_max_age())
    except signing.SignatureExpired:
        raise InvalidLink(
            _(
                "This confirmation link has expired. Nothing was changed: "
                "follow again from the site to get a fresh link."
            )
        ) from None
    except signing.BadSignature:
        raise InvalidLink(
            _(
                "This confirmation link is not valid (it may have been cut short "
                "or altered). Nothing was changed."
            )
        ) from None


def manage_token(subscriber) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "h": address_hash(subscriber.email)}, salt=MANAGE_SALT
    )


def read_manage_token(token: str) -> dict:
    try:
        return signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        raise InvalidLink(
            _(
                "This link is not valid (it may have been cut short or altered). "
                "Nothing was changed."
            )
        ) from None
