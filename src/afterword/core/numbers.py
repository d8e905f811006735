"""Numbers read from addresses, query strings and forms: ASCII digits only.

``int()``, ``str.isdigit()`` and the regular expression ``\\d`` accept far
more than 0-9: Arabic-Indic '٣' and fullwidth '３' are 3 to ``int()``, and
``isdigit()`` says yes to superscript '²', which ``int()`` then refuses with a
``ValueError`` (a 500 wherever the two were paired). A number typed by a
reader is read here, so that '٣' is never page 3 and '²' never a crash.
(Django's ``<int:...>`` path converter is already ``[0-9]+``.)
"""

from __future__ import annotations

import re

from django import forms
from django.http import Http404

ASCII_NUMBER = re.compile(r"[0-9]+")


def ascii_number(text: object, *, maximum: int | None = None) -> int | None:
    """The number ``text`` spells in ASCII digits, or None for anything else
    (other scripts' digits, signs, spaces, underscores, above ``maximum``)."""
    if isinstance(text, int) and not isinstance(text, bool):
        number = text
    elif isinstance(text, str) and ASCII_NUMBER.fullmatch(text):
        number = int(text)
    else:
        return None
    if number < 0 or (maximum is not None and number > maximum):
        return None
    return number


class AsciiIntegerField(forms.IntegerField):
    """An ``IntegerField`` that accepts ASCII digits only (no '٣', '+3', '3.0')."""

    def to_python(self, value):
        if value not in self.empty_values and ascii_number(str(value).strip()) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class AsciiPageNumbers:
    """A ``ListView`` mixin: ``?page=`` must be a page number in ASCII digits.

    Django's pagination reads it with ``int()``, so '?page=٣' served page 3
    under another address; here anything but ``1``, ``2``... (or ``last``)
    is a 404, like a page past the end.
    """

    def paginate_queryset(self, queryset, page_size):
        page = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg)
        if page not in (None, "", "last") and not ascii_number(page):
            raise Http404("No such page.")
        return super().paginate_queryset(queryset, page_size)


def page_number(request, name: str = "page") -> int:
    """``?page=`` of a page that paginates by hand: 1 when absent, 404 when
    it is not a page number in ASCII digits."""
    raw = request.GET.get(name)
    if raw in (None, ""):
        return 1
    number = ascii_number(raw)
    if not number:
        raise Http404("No such page.")
    return number
