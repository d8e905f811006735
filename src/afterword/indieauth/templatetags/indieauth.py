"""``{% indieauth_links %}``: the discovery ``<link>`` tags (``hook:head``)."""

from django import template
from django.utils.html import format_html_join

from afterword.indieauth import discovery

register = template.Library()


@register.simple_tag
def indieauth_links() -> str:
    return format_html_join(
        "\n",
        '<link rel="{}" href="{}">',
        ((rel, url) for rel, url in discovery.links()),
    )
