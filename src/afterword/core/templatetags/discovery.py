"""``{% discovery_links %}``: every registered endpoint's ``<link>`` tag."""

from django import template
from django.utils.html import format_html_join

from afterword.core import discovery

register = template.Library()


@register.simple_tag
def discovery_links() -> str:
    return format_html_join(
        "\n",
        '<link rel="{}" href="{}">',
        ((rel, url) for rel, url in discovery.links()),
    )
