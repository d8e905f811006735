"""Requests that no page can answer, turned away before any view runs.

No address of the site contains a NUL character, and PostgreSQL refuses
NUL in any text it is asked to compare: a lookup built from such an address
(an author's name, the old-permalink redirects tried on every 404) failed
with a server error there. ``RefuseNulMiddleware`` answers those requests
with a 400 and a short message instead, before the page cache, the views or
the redirects see them. Query parameters and form fields are left to the
views and forms that read them: search drops NUL from a query, and forms
refuse it with a message next to the field, keeping the rest of what was
typed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

NUL_MESSAGE = "This address contains a NUL character; no page on this site has one."


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain")
        return self.get_response(request)
