"""The beacon's endpoint, ``POST /stats/hit``: one page view, nothing kept
about the reader.

It takes the page's signed token (``pages.py``) and, optionally, the
referring site's host name, and answers 204. It reads no session and sets
no cookie; junk (no token, a token the site did not sign, a malformed
domain) is a 400 and writes nothing; a client sending more than
``AFTERWORD_STATS_HITS_PER_MINUTE`` hits a minute gets 429 (counted in the
shared cache under a digest of its address, forgotten after a minute, as
the comment form's flood control does). Robots that say so in their
``User-Agent`` are answered 204 and not counted.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from afterword.discussion.defences import Limit, Refused, allowed_origins, hit_client

from .actions import CountPageView
from .counting import clean_domain
from .pages import page_from_token

DEFAULT_HITS_PER_MINUTE = 120
ROBOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|lighthouse|pingdom", re.I
)
MAX_BODY = 2048


def own_domains(request: HttpRequest) -> set[str]:
    domains = {split_domain_port(request.get_host())[0]}
    site = getattr(settings, "SITE_URL", "")
    if site:
        domains.add((urlsplit(site).hostname or "").lower())
    return {domain.removeprefix("www.") for domain in domains if domain}


def from_elsewhere(request: HttpRequest) -> bool:
    """A browser's beacon carries its page's Origin: another site's is refused."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    trusted = allowed_origins(request) | set(settings.CSRF_TRUSTED_ORIGINS)
    return origin not in trusted


def no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    response.headers["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def hit(request: HttpRequest) -> HttpResponse:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY:
        return HttpResponse(status=400)
    limit = Limit(
        getattr(settings, "AFTERWORD_STATS_HITS_PER_MINUTE", DEFAULT_HITS_PER_MINUTE),
        60,
    )
    try:
        hit_client("stats-hit", request, limit, "Too many page views.")
    except Refused:
        return HttpResponse(status=429)
    if from_elsewhere(request):
        return HttpResponse(status=400)
    page = page_from_token(request.POST.get("page", ""))
    if page is None:
        return HttpResponse(status=400)
    referrer = request.POST.get("ref", "")
    if referrer:
        referrer = clean_domain(referrer)
        if referrer is None:
            return HttpResponse(status=400)
        if referrer in own_domains(request):
            referrer = ""
    if ROBOT.search(request.headers.get("User-Agent", "")):
        return no_content()
    CountPageView(page, referrer).run()
    return no_content()
