"""Error pages that wear the theme."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

from afterword.posts import seo

from . import colours
from .models import SiteAppearance

logger = logging.getLogger(__name__)

FALLBACK_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Something went wrong</title></head><body><main>"
    "<h1>Something went wrong</h1><p>Please try again in a moment.</p>"
    "</main></body></html>"
)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    """The themed 404 page, marked noindex."""
    meta = seo.page_meta(request, title=gettext("Not found"), noindex=True)
    return render(request, "404.html", {"meta": meta}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered with no request context and no database.

    The failure may be in a context processor, a template tag or the database
    itself, so this template extends nothing and reads only settings.
    """
    try:
        html = loader.get_template("500.html").render(
            {
                "site_name": settings.SITE_NAME,
                "stylesheet": static("afterword/site.css"),
            }
        )
    except Exception:  # the error page must never fail in turn
        logger.exception("The 500 template could not be rendered")
        html = FALLBACK_500
    return HttpResponseServerError(html)


def appearance_css(request: HttpRequest, version: int) -> HttpResponse:
    """The writer's accent colour as custom properties over the theme's.

    A stylesheet of its own because the Content Security Policy allows no
    inline style. Only the light scheme takes the accent (it was checked
    against white); the dark scheme keeps the theme's light-on-dark accent.
    """
    appearance = SiteAppearance.load()
    rules = ""
    try:
        accent = colours.normalise(appearance.accent_colour)
    except ValueError:
        accent = ""
    if accent:
        values = (
            f"--accent: {accent}; --accent-hover: {colours.darken(accent)}; "
            "--on-accent: #ffffff;"
        )
        rules = (
            f':root[data-scheme="light"] {{ {values} }}\n'
            "@media not (prefers-color-scheme: dark) {\n"
            f"  :root:not([data-scheme]) {{ {values} }}\n"
            "}\n"
        )
    response = HttpResponse(rules, content_type="text/css; charset=utf-8")
    if version == appearance.version:
        patch_cache_control(response, public=True, max_age=365 * 86400)
    return response
