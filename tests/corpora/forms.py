"""Filling in a served form as a browser would: its fields and their defaults.

The admin's post form carries inline formsets that other apps add; posting
it with only the fields a test cares about would be a request no browser
sends. ``form_fields`` reads every field of the page's form with the value
the browser would submit untouched, so a test changes only what a person
would type.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: dict | None = None
        self._first_option: dict[str, str] = {}
        self._chose: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    value = attributes.get("value", "on")
                    self.fields.setdefault(name, []).append(value)
                return
            self.fields.setdefault(name, []).append(attributes.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            if "multiple" in attributes:
                # A list box sends nothing unless an option is marked.
                self._chose.add(name)
        elif tag == "option" and self._select:
            value = attributes.get("value")
            self._option = {"value": value, "text": ""}
            if "selected" in attributes:
                self._chose.add(self._select)
                self.fields.setdefault(self._select, []).append(value or "")
            elif self._select not in self._first_option and value is not None:
                self._first_option[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            # A single select with nothing marked sends its first option.
            if self._select not in self._chose and self._select in self._first_option:
                self.fields.setdefault(self._select, []).append(
                    self._first_option[self._select]
                )
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            values = self.fields[self._textarea]
            # The parser keeps the newline a browser drops after <textarea>.
            values[-1] += data.removeprefix("\n") if not values[-1] else data


def form_fields(page: str, form_id: str) -> dict[str, list[str]]:
    """The fields of ``<form id=form_id>`` in ``page`` with what they would send."""
    reader = _FormReader(form_id)
    reader.feed(page)
    reader.close()
    if not reader.fields:
        raise AssertionError(f"no form #{form_id} with fields on the page")
    return reader.fields


class _ErrorReader(HTMLParser):
    """The text of Django's error lists and the admin's error note."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.messages: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += tag not in VOID_TAGS
        elif {"errorlist", "errornote"} & set(classes):
            self.depth = 1
            self.messages.append("")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.messages[-1] += data


VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})


def form_errors(page: str) -> list[str]:
    """The error messages a refused form shows, as plain text."""
    reader = _ErrorReader()
    reader.feed(page)
    return [" ".join(m.split()) for m in reader.messages if m.strip()]
