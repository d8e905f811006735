"""Which language a request is answered in.

Two choices, made separately: the site's language (``LANGUAGE_CODE``, from
``AFTERWORD_LANGUAGE``) for every public page, and each writer's own
language (``accounts.User.desk_language``) for the desk and the admin.

Public pages are stored by the page cache and served to every reader, so
nothing about the visitor (their browser's ``Accept-Language``, a cookie, a
writer being signed in) may change their language; that is why Django's
``LocaleMiddleware`` is not used. Only the writer's own screens, which are
never cached, follow the writer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# Addresses answered in the writer's language: the desk and the admin.
WRITER_PREFIXES = ("/desk/", "/admin/")


def site_language() -> str:
    return settings.LANGUAGE_CODE


def shipped(code: str) -> bool:
    return any(code == known for known, _label in settings.LANGUAGES)


def writer_language(user) -> str:
    """The desk language a writer chose, or the site's when none (or unknown)."""
    chosen = getattr(user, "desk_language", "") if user is not None else ""
    return chosen if chosen and shipped(chosen) else site_language()


def language_for(request: HttpRequest) -> str:
    """The language to answer ``request`` in."""
    if request.path_info.startswith(WRITER_PREFIXES):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return writer_language(user)
    return site_language()


class LanguageMiddleware:
    """Activate the request's language, and put the site's back afterwards.

    Placed after the authentication middleware (it reads ``request.user``).
    The thread's language is reset once the response is made, so a writer's
    choice never leaks into the next request the same thread serves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.activate(site_language())
        if "Content-Language" not in response:
            response.headers["Content-Language"] = language
        return response


def in_site_language(function: Callable) -> Callable:
    """Run ``function`` in the site's language, whoever's request calls it.

    For what readers receive (emails about comments and follows): a writer
    approving a comment on a French desk still sends the reader an email in
    the site's language.
    """

    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(site_language()):
            return function(*args, **kwargs)

    return wrapper
