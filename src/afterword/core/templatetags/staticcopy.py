"""Template tags for what a page prints differently on a static copy
(``core.staticcopy``): script nonces, addresses only a server answers,
pages of a listing, and stored HTML under the page's script prefix."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from afterword.core import staticcopy

register = template.Library()


@register.simple_tag(takes_context=True)
def nonce_attribute(context) -> SafeString:
    """`` nonce="…"`` with the request's CSP nonce; nothing without one."""
    return staticcopy.nonce_attribute(staticcopy.nonce_of(context.get("request")))


@register.simple_tag(takes_context=True)
def server_address(context, path: str) -> str:
    """``{% server_address path as url %}``: where a form or link that needs
    the server goes; "" on a static copy without one (leave it out)."""
    return staticcopy.server_address(context.get("request"), path) or ""


@register.simple_tag(takes_context=True)
def page_address(context, number: int, query: str = "") -> str:
    """``{% page_address 2 query %}``: page 2 of the listing being shown,
    after its filters' ``query`` ("role=director&") if any."""
    return staticcopy.page_address(context["request"], number, query)


@register.filter
def under_prefix(html: str) -> SafeString:
    """Stored HTML with its root-relative addresses under the page's prefix."""
    return staticcopy.under_prefix(html)
