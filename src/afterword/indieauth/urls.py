"""IndieAuth's addresses: the metadata document and the four endpoints."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import endpoints, views

app_name = "indieauth"


def _authorization_endpoint(request, *args, **kwargs):
    """One address, two callers: a browser GETs, an app POSTs a code back."""
    if request.method == "POST":
        return endpoints.redeem_profile(request)
    return views.authorize(request)


urlpatterns = [
    path(
        ".well-known/oauth-authorization-server",
        endpoints.metadata,
        name="metadata",
    ),
    path(
        "indieauth/auth",
        csrf_exempt(_authorization_endpoint),
        name="authorize",
    ),
    path("indieauth/consent", views.consent, name="consent"),
    path("indieauth/token", endpoints.token, name="token"),
    path("indieauth/introspect", endpoints.introspect, name="introspect"),
    path("indieauth/revoke", endpoints.revoke, name="revoke"),
]
