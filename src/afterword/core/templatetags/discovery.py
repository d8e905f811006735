"""``{% discovery_links %}``: every registered endpoint's ``<link>`` tag."""

from django import template
from django.conf import settings
from django.utils.html import format_html_join

from afterword.core import discovery, staticcopy

register = template.Library()


@register.simple_tag(takes_context=True)
def discovery_links(context) -> str:
    links = discovery.links()
    request = context.get("request")
    if staticcopy.of(request) is not None:
        # The endpoints are the server's: a static copy names them there,
        # or not at all without one.
        site = settings.SITE_URL.rstrip("/")
        links = [
            (rel, address)
            for rel, url in links
            if url.startswith(site + "/")
            and (address := staticcopy.server_address(request, url[len(site) :]))
        ]
    return format_html_join("\n", '<link rel="{}" href="{}">', links)
