"""The receiving endpoint: ``POST /webmention`` with ``source`` and ``target``.

Checks are synchronous (``webmention.receive``): a refusal is a 400 with
its reason in plain text; an accepted pair is a 202, its source fetched
later by a task. Other sites post here without our CSRF token, and no
answer is ever cached.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .actions import ReceiveWebmention


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(
        message + "\n", status=status, content_type="text/plain; charset=utf-8"
    )


@csrf_exempt
@never_cache
def endpoint(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = _text(
            _("This is a Webmention endpoint: POST source and target to it."), 405
        )
        response["Allow"] = "POST"
        return response
    try:
        ReceiveWebmention(
            request.POST.get("source", ""), request.POST.get("target", "")
        ).run()
    except ValidationError as error:
        return _text(" ".join(error.messages), 400)
    return _text(
        _(
            "Accepted: the source will be checked, and the mention shown "
            "under the post once approved."
        ),
        202,
    )
