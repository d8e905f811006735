"""Django's feed XML writer, with each element without children written in
one piece.

``SimplerXMLGenerator.addQuickElement`` opens the element, checks and
escapes its text and closes it in three calls, each writing on its own: a
feed of ten comments makes 80 of them, a third of the feed's time. This
writes the same bytes (``tests/feeds/test_quick_xml.py`` compares the two on
awkward text and attributes) with one write per element.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from django.utils.xmlutils import SimplerXMLGenerator, UnserializableContentError

# What XML 1.0 cannot carry: Django refuses it, and so does this.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


class QuickXMLGenerator(SimplerXMLGenerator):
    def addQuickElement(self, name, contents=None, attrs=None):
        if contents is not None and not isinstance(contents, str):
            super().addQuickElement(name, contents, attrs)
            return
        self._finish_pending_start_element()
        start = "<" + name
        if attrs:
            # Sorted, as Django's ``startElement`` sorts them.
            start += "".join(
                f" {key}={quoteattr(value)}" for key, value in sorted(attrs.items())
            )
        if contents:
            if CONTROL_CHARACTERS.search(contents):
                raise UnserializableContentError(
                    "Control characters are not supported in XML 1.0"
                )
            self._write(f"{start}>{escape(contents)}</{name}>")
        elif self._short_empty_elements:
            self._write(start + "/>")
        else:
            self._write(f"{start}></{name}>")
