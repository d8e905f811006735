"""``/api/v1/``: django-ninja's routes, the reference page, and JSON for the
404s and 405s Django and ninja would otherwise answer in HTML or plain text."""

from functools import wraps

from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .docs import reference
from .errors import error_response
from .v1 import api

app_name = "api"


def json_errors(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get(
            "Content-Type", ""
        ):
            return error_response(
                405,
                _("This address does not answer %(method)s.")
                % {"method": request.method},
                headers={"Allow": response.get("Allow", "")},
            )
        return response

    return wrapped


@csrf_exempt
def not_found(request, path=""):
    return error_response(404, _("The API has no such address."))


ninja_patterns, _app, _namespace = api.urls
urlpatterns = [
    re_path(r"^docs$", reference, name="docs"),
    *(
        URLPattern(p.pattern, json_errors(p.callback), p.default_args, p.name)
        for p in ninja_patterns
    ),
    re_path(r"^(?P<path>.*)$", not_found),
]
