"""A URL map for tests that need a page using the CSP nonce.

The theme's pages may or may not carry a script at any given time; this page
always does, so the nonce test does not depend on the theme.
"""

from django.http import HttpResponse
from django.urls import path


def page_with_script(request):
    nonce = str(request.csp_nonce)
    return HttpResponse(
        "<!doctype html><title>Nonce</title>"
        f'<script src="/static/x.js" nonce="{nonce}" defer></script>'
    )


def page_setting_cookie(request):
    response = HttpResponse("<!doctype html><title>Cookie</title>")
    response.set_cookie("flavour", "oat")
    return response


def private_page(request):
    response = HttpResponse("<!doctype html><title>Private</title>")
    response["Cache-Control"] = "private"
    return response


urlpatterns = [
    path("nonce/", page_with_script),
    path("cookie/", page_setting_cookie),
    path("private/", private_page),
]
