"""``{% micropub_link %}``: the endpoint's ``<link>`` (at ``hook:head``)."""

from django import template
from django.utils.html import format_html

from ..discovery import endpoint_url

register = template.Library()


@register.simple_tag
def micropub_link() -> str:
    endpoint = endpoint_url()
    if not endpoint:
        return ""
    return format_html('<link rel="micropub" href="{}">', endpoint)
