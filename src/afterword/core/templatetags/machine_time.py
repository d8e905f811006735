"""The ``machine_time`` filter: a datetime for ``<time datetime="...">``.

Django's ``date:"c"`` prints microseconds, which HTML's date syntax does not
allow (it takes at most milliseconds), so pages would fail validation.
Registered as a template builtin in settings, so no ``{% load %}`` is needed.
"""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value: datetime | None) -> str:
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
