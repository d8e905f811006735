"""Links every HTML page advertises to programs: ``<link>`` and ``Link``.

Clients find the site's endpoints from any of its pages: a Micropub app
looks for ``rel="micropub"`` and IndieAuth's ``rel="indieauth-metadata"``
(later, Webmention's ``rel="webmention"``). Each app that serves such an
endpoint registers a provider in its ``ready()``; this module prints them
all in the same order in two places, ``{% discovery_links %}`` in the
theme's ``<head>`` and an HTTP ``Link`` header added by
:class:`DiscoveryLinkMiddleware`, which sits inside the page cache so a
cached page replays the header. Page files served by nginx carry no
headers of ours, which is why the ``<link>`` tags matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf

Provider = Callable[[], Iterable[tuple[str, str]]]

_providers: list[Provider] = []
# The links as last worked out, by what they are made of (the site's
# address and the URL map): ten reversed addresses for every HTML page,
# which change only with settings.
_found: dict[tuple, tuple[tuple[str, str], ...]] = {}


def register(provider: Provider) -> None:
    """Add ``provider``, a callable giving (rel, absolute URL) pairs."""
    if provider not in _providers:
        _providers.append(provider)
        _found.clear()


def links() -> list[tuple[str, str]]:
    """Every (rel, URL) pair, in registration order. A provider whose
    endpoint the URL map does not mount (a test's own URLconf) gives none."""
    made_of = (
        settings.SITE_URL,
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
    )
    found = _found.get(made_of)
    if found is None:
        gathered: list[tuple[str, str]] = []
        for provider in _providers:
            try:
                gathered.extend(provider())
            except NoReverseMatch:
                continue
        found = _found[made_of] = tuple(gathered)
    return list(found)


@receiver(setting_changed)
def _forget_links(**kwargs) -> None:
    # A provider may read any setting (an endpoint turned off).
    _found.clear()


def link_header() -> str:
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links())


class DiscoveryLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            ours = link_header()
            if ours:
                existing = response.get("Link", "")
                response["Link"] = f"{existing}, {ours}" if existing else ours
        return response
