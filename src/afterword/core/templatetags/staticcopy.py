"""Template tags for what a page prints differently on a static copy
(``core.staticcopy``): script nonces, addresses only a server answers, and
stored HTML under the page's script prefix."""

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


@register.filter
def under_prefix(html: str) -> SafeString:
    """Stored HTML with its root-relative addresses under the page's prefix."""
    return staticcopy.under_prefix(html)
