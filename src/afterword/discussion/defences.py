"""Spam defences that need no third party, shared by comments and contact forms.

Forms that anonymous readers post from cached pages cannot use Django's CSRF
cookie (every reader gets the same cached page), so they carry instead:

* a **signed form token** naming what it is for (a post, an author) and when
  it was issued; it must be at least ``AFTERWORD_FORM_TOKEN_MIN_AGE`` seconds
  old (bots post at once) and at most ``AFTERWORD_FORM_TOKEN_MAX_AGE``. Pages
  ask ``/comments/token/...`` for a fresh one on load, so a page that sat in
  the cache for days still posts fine with JavaScript;
* a **honeypot** field, hidden from people, that bots fill in;
* an **Origin/Referer** check: a browser posting from another site is refused;
* **flood control**: sliding-window counters in the cache per client address
  and per identity (email or account), answered with HTTP 429. Each form
  counts in its own scope ("comment", "contact", "follow"), so a flood of one
  form does not close another. The client address is
  ``afterword.core.clientip.client_ip``: behind a proxy, the right-most
  address in ``X-Forwarded-For`` that is not one of
  ``AFTERWORD_TRUSTED_PROXIES``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

# client_ip is also reached as defences.client_ip by older callers.
from afterword.core import ratecount
from afterword.core.clientip import client_ip, rate_limit_key

HONEYPOT_FIELD = "fax"
TOKEN_SALT = "afterword.discussion.form-token"


class Refused(Exception):
    """A submission turned away, with a message meant for the person.

    ``status`` is the HTTP status to answer with; ``keep_form`` says whether
    the form should be shown again filled in (a stale token: submit again).
    """

    def __init__(self, message: str, *, status: int = 400, keep_form: bool = True):
        super().__init__(message)
        self.message = message
        self.status = status
        self.keep_form = keep_form


def token_ages() -> tuple[int, int]:
    return (
        int(getattr(settings, "AFTERWORD_FORM_TOKEN_MIN_AGE", 3)),
        int(getattr(settings, "AFTERWORD_FORM_TOKEN_MAX_AGE", 2 * 24 * 3600)),
    )


def make_token(purpose: str, now: float | None = None) -> str:
    """A token for a form about ``purpose`` (e.g. "post:12"), issued now."""
    issued = int(now if now is not None else time.time())
    return signing.dumps({"p": purpose, "t": issued}, salt=TOKEN_SALT, compress=False)


def check_token(token: str, purpose: str, now: float | None = None) -> None:
    """Raise Refused unless ``token`` is ours, for ``purpose``, and of a fair age."""
    if not token:
        raise Refused(
            _("The form was missing its security token. Please submit it again.")
        )
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise Refused(
            _("The form's security token was not valid. Please submit it again.")
        ) from None
    if not isinstance(data, dict) or data.get("p") != purpose:
        raise Refused(_("This form belongs to another page. Please submit it again."))
    age = (now if now is not None else time.time()) - int(data.get("t", 0))
    min_age, max_age = token_ages()
    if age < min_age:
        raise Refused(
            _(
                "That was quicker than anyone can type. "
                "Please wait a moment and submit again."
            ),
            status=400,
        )
    if age > max_age:
        raise Refused(
            _(
                "This page was open for a long time and its form expired. "
                "Your text is still here: please submit it again."
            )
        )


def check_honeypot(data) -> None:
    if data.get(HONEYPOT_FIELD, ""):
        raise Refused(
            _(
                "The form could not be accepted "
                "(a field meant to stay empty was filled in)."
            ),
            keep_form=False,
        )


def allowed_origins(request) -> set[str]:
    origins = {f"{request.scheme}://{request.get_host()}"}
    site = getattr(settings, "SITE_URL", "")
    if site:
        parts = urlsplit(site)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def check_origin(request) -> None:
    """Refuse a browser post whose Origin (or Referer) is another site.

    Requests with neither header (scripts, very old browsers) are let
    through: the signed token still protects them.
    """
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        referer = request.headers.get("Referer")
        if not referer:
            return
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin not in allowed_origins(request):
        raise Refused(
            _("Comments can only be posted from this site."),
            status=403,
            keep_form=False,
        )


@dataclass(frozen=True)
class Limit:
    count: int
    window: int


def hit(scope: str, who: str, limit: Limit, message: str) -> None:
    """Count one attempt for ``who``; raise Refused(429) past the limit.

    A sliding window shared by every worker (``core.ratecount``), so that
    neither a flood nor a test's burst depends on where the clock's window
    edge falls.
    """
    if limit.count <= 0:
        return
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]
    count = ratecount.count_attempt(f"flood:{scope}:{digest}", limit.window).count
    if count > limit.count:
        raise Refused(message, status=429, keep_form=True)


def hit_client(scope: str, request, limit: Limit, message: str) -> None:
    """Count one attempt from the request's client (its /64 for IPv6)."""
    hit(scope, rate_limit_key(client_ip(request)), limit, message)


def screen(
    request, purpose: str, limit: Limit, flood_message: str, *, scope: str
) -> None:
    """Every request-level defence, cheapest first; raises Refused.

    The flood counter comes first so that a flood is turned away before any
    other work, and counts every attempt, valid or not. ``scope`` names the
    form's own counter ("comment", "contact"): forms never share one.
    """
    hit_client(f"{scope}-client", request, limit, flood_message)
    check_origin(request)
    check_honeypot(request.POST)
    check_token(request.POST.get("token", ""), purpose)
