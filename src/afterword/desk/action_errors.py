"""Running an action on behalf of a desk form.

An action refuses with ``ValidationError`` (a rule) or ``PermissionDenied``
(the role): the first becomes errors on the form, which is shown again with
what the writer typed; the second is left to Django, a 403 page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from afterword.core.actions import Action


def run_for_form(action: Action, form: forms.BaseForm) -> tuple[bool, Any]:
    """Run ``action``; on refusal put its reasons on ``form``.

    Returns ``(True, result)`` or ``(False, None)``.
    """
    try:
        return True, action.run()
    except ValidationError as error:
        add_errors(form, error)
        return False, None


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """``error``'s messages on the fields they name (the form's top otherwise)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)
