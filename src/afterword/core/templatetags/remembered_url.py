"""``{% url %}``, remembered: Django's own tag, whose ``reverse()`` walks this
site's URL map anew each time (about 60 µs), in place of the builtin.

Every public page prints five or more of them in its frame alone (home,
search, the reading beacon, the feeds), the same answers request after
request. Registered as a template builtin after Django's, so every template
gets this ``url`` without a ``{% load %}``. It parses exactly as Django's
tag does; an address is remembered only when every argument is a plain
string or number (a model instance's ``str()`` may change while its hash
does not), under everything else ``reverse()`` reads: the current
application, the URL map and the script prefix. Anything else goes through
Django's own rendering.
"""

from __future__ import annotations

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from afterword.core.urls import remembered_reverse

register = template.Library()

_MISSING = object()


def _plain(value) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _current_app(context) -> str | None:
    """What Django's ``URLNode`` passes as ``current_app``."""
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", _MISSING)
    if current_app is not _MISSING:
        return current_app
    match = getattr(request, "resolver_match", None)
    return getattr(match, "namespace", None)


class RememberedURLNode(URLNode):
    def render(self, context):
        view_name = self.view_name.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        items = tuple(
            (key, value.resolve(context)) for key, value in self.kwargs.items()
        )
        current_app = _current_app(context)
        if not (
            isinstance(view_name, str)
            and all(map(_plain, args))
            and all(_plain(value) for _, value in items)
            and (current_app is None or isinstance(current_app, str))
        ):
            return super().render(context)
        try:
            address = remembered_reverse(view_name, args, items, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            address = ""
        if self.asvar:
            context[self.asvar] = address
            return ""
        return conditional_escape(address) if context.autoescape else address


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
