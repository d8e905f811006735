"""Reading a Micropub request into one neutral record, whatever its encoding.

Form-encoded and multipart bodies (``h=entry&content=…&category[]=…``) and
JSON bodies (``{"type": ["h-entry"], "properties": {…}}``) become the same
:class:`Submission`: property names without ``[]``, every value in a list,
server commands (``mp-slug``, ``mp-photo-alt``…) apart from the properties.
What the request is *about* (create, update, delete, undelete) is decided
here; what it does is :mod:`afterword.micropub.entries`' business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import invalid

ACTIONS = ("create", "update", "delete", "undelete")
# Form fields that are the request's envelope, never properties of the post.
ENVELOPE = frozenset({"h", "access_token", "action", "url"})
# The one nested form field clients send (``content[html]=…``).
FORM_HTML_CONTENT = "content[html]"
FILE_PROPERTIES = ("photo",)


@dataclass
class Submission:
    """One Micropub request, decoded."""

    action: str = "create"
    url: str = ""
    # "h-entry" for a creation; anything else is refused.
    kind: str = "h-entry"
    properties: dict[str, list[Any]] = field(default_factory=dict)
    commands: dict[str, list[Any]] = field(default_factory=dict)
    files: dict[str, list[UploadedFile]] = field(default_factory=dict)
    # An update's three operations.
    replace: dict[str, list[Any]] = field(default_factory=dict)
    add: dict[str, list[Any]] = field(default_factory=dict)
    delete: dict[str, list[Any]] | list[str] = field(default_factory=dict)

    def first(self, name: str, default: Any = None) -> Any:
        values = self.properties.get(name) or []
        return values[0] if values else default

    def command(self, name: str, default: str = "") -> str:
        values = self.commands.get(name) or []
        return values[0] if values and isinstance(values[0], str) else default


def is_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json"


def parse(request: HttpRequest) -> Submission:
    if is_json(request):
        return _from_json(request.body)
    if request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        raise invalid(
            _(
                "Send a form (application/x-www-form-urlencoded or "
                "multipart/form-data) or JSON (application/json)."
            )
        )
    return _from_form(request)


def _bare(name: str) -> str:
    return name[:-2] if name.endswith("[]") else name


def _from_form(request: HttpRequest) -> Submission:
    data = request.POST
    action = data.get("action", "create")
    if action not in ACTIONS:
        raise invalid(_("Unknown action %(action)r.") % {"action": action})
    if action == "update":
        raise invalid(_("Send updates as JSON (application/json)."))
    submission = Submission(action=action, url=data.get("url", ""))
    if action != "create":
        return submission
    submission.kind = "h-" + data.get("h", "entry")
    for key in data:
        values = data.getlist(key)
        if key == FORM_HTML_CONTENT:
            submission.properties["content"] = [{"html": v} for v in values]
            continue
        name = _bare(key)
        if name in ENVELOPE or "[" in name:
            # Nested form syntax (location[latitude]=…) describes objects
            # the site has no place for.
            continue
        target = (
            submission.commands if name.startswith("mp-") else submission.properties
        )
        target.setdefault(name, []).extend(values)
    for key in request.FILES:
        name = _bare(key)
        if name in FILE_PROPERTIES:
            submission.files.setdefault(name, []).extend(request.FILES.getlist(key))
    return submission


def _from_json(body: bytes) -> Submission:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise invalid(_("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise invalid(_("The JSON body must be an object."))
    action = data.get("action", "create")
    if action not in ACTIONS:
        raise invalid(_("Unknown action %(action)r.") % {"action": action})
    url = data.get("url", "")
    if not isinstance(url, str):
        raise invalid(_("url must be a string."))
    submission = Submission(action=action, url=url)
    if action == "create":
        kinds = data.get("type")
        if not isinstance(kinds, list) or not kinds or not isinstance(kinds[0], str):
            raise invalid(_('A new post needs "type", such as ["h-entry"].'))
        submission.kind = kinds[0]
        for name, values in _property_map(data.get("properties", {}), "properties"):
            target = (
                submission.commands if name.startswith("mp-") else submission.properties
            )
            target[name] = values
    elif action == "update":
        submission.replace = dict(_property_map(data.get("replace", {}), "replace"))
        submission.add = dict(_property_map(data.get("add", {}), "add"))
        deleted = data.get("delete", {})
        if isinstance(deleted, list):
            if not all(isinstance(name, str) for name in deleted):
                raise invalid(_("delete lists property names."))
            submission.delete = deleted
        else:
            submission.delete = dict(_property_map(deleted, "delete"))
        if not (submission.replace or submission.add or submission.delete):
            raise invalid(_("An update needs replace, add or delete."))
    return submission


def _property_map(value: Any, where: str):
    """Yield (name, values) of a JSON object whose every value is a list."""
    if not isinstance(value, dict):
        raise invalid(_("%(where)s must be an object.") % {"where": where})
    for name, values in value.items():
        if not isinstance(values, list):
            raise invalid(
                _("Each value of %(where)s must be an array (%(name)s is not).")
                % {"where": where, "name": name}
            )
        yield name, values
