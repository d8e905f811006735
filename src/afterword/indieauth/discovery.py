"""Where this site's IndieAuth endpoints are, said three ways.

Clients look for them on the page at the address a writer types: in the
``Link`` header, or in ``<link>`` tags in the ``<head>``. Both are written
on every HTML page by :mod:`afterword.core.discovery`, which this app
registers :func:`links` with; the tags are what page files served by nginx
carry, since those have no headers of our own. The metadata document
(RFC 8414) lists everything else.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from afterword.core.urls import absolute
from afterword.credentials import scopes as scope_names
from afterword.posts.authors import public_authors

from .grants import MICROPUB_WORDS

# rel → URL name, in the order they are written.
LINKS = (
    ("indieauth-metadata", "indieauth:metadata"),
    ("authorization_endpoint", "indieauth:authorize"),
    ("token_endpoint", "indieauth:token"),
)


def endpoint(url_name: str) -> str:
    return absolute(reverse(url_name))


def issuer() -> str:
    """The ``iss`` of this server: the site's address with a slash."""
    return settings.SITE_URL + "/"


def links() -> list[tuple[str, str]]:
    """(rel, absolute URL) of each discovery link; none where the URL map
    has no IndieAuth (a site or test mounting its own)."""
    try:
        return [(rel, endpoint(name)) for rel, name in LINKS]
    except NoReverseMatch:
        return []


def metadata() -> dict:
    """The authorization server metadata document."""
    return {
        "issuer": issuer(),
        "authorization_endpoint": endpoint("indieauth:authorize"),
        "token_endpoint": endpoint("indieauth:token"),
        "introspection_endpoint": endpoint("indieauth:introspect"),
        "introspection_endpoint_auth_methods_supported": ["Bearer"],
        "revocation_endpoint": endpoint("indieauth:revoke"),
        "revocation_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": sorted(scope_names.ALL | set(MICROPUB_WORDS)) + ["profile"],
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
        "service_documentation": "https://indieauth.spec.indieweb.org/",
    }


def profile_url(user) -> str:
    """A writer's IndieAuth identity (``me``): their author page's address.

    An author page answers only once its writer has a listed post, and an
    app fetches ``me`` to check it names this server; until then the site's
    own address (which names the same endpoints) stands in.
    """
    if public_authors().filter(pk=user.pk).exists():
        return absolute(user.get_absolute_url())
    return issuer()
