"""Submitting a Django admin form as a browser would, from its own HTML.

``form_values(html)`` reads every field of the page's main form (inputs,
checked boxes, selected options, text areas, the inline formsets' management
fields) into a dict of lists; ``change(client, url, **values)`` loads a change
or add page, sets the given fields and posts it back, so a test changes one
thing through the admin without restating the whole form.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_multiple = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            if attrs.get("id", "").endswith("_form") or not self.values:
                self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.setdefault(name, []).append(attrs.get("value", "on"))
                return
            self.values.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            # Browsers drop the newline that directly follows <textarea>.
            self.values[self._textarea] = [text.removeprefix("\n")]
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_values(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    return reader.values


def change(client, url: str, **values):
    """Load the admin form at ``url``, set ``values`` (a list for a multiple
    choice, None to clear a box) and post it; return the response."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    data = form_values(page.content.decode())
    for name in values:
        # An inline row under a prefix the form does not have would be
        # silently ignored by the admin: refuse it here instead.
        prefix = name.split("-", 1)[0]
        if "-" in name and f"{prefix}-TOTAL_FORMS" not in data:
            raise AssertionError(f"{url} has no inline formset named {prefix!r}")
    for name, value in values.items():
        if value is None:
            data.pop(name, None)
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = [str(value)]
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    return response


def _errors(response) -> str:
    html = response.content.decode()
    start = html.find('class="errornote"')
    lists = [chunk.split("</ul>")[0] for chunk in html.split('class="errorlist')[1:]]
    return f"the admin refused the form: {html[start : start + 300]} {lists[:5]}"
