"""Forms of the discussion: the comment form and the edit form."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from afterword.core.numbers import AsciiIntegerField


def max_comment_length() -> int:
    return int(getattr(settings, "AFTERWORD_COMMENT_MAX_LENGTH", 5000))


class CommentForm(forms.Form):
    """What a reader submits. Name and email are asked only of guests."""

    name = forms.CharField(
        max_length=100,
        required=False,
        error_messages={"max_length": _("Please keep your name under 100 characters.")},
    )
    email = forms.EmailField(
        max_length=254,
        required=False,
        error_messages={
            "invalid": _("Please enter a valid email address (it is never shown).")
        },
    )
    url = forms.URLField(
        max_length=200,
        assume_scheme="https",
        required=False,
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={
            "invalid": _("Your website must be an http:// or https:// address.")
        },
    )
    body = forms.CharField(
        error_messages={"required": _("Please write a comment before posting it.")},
    )
    parent = AsciiIntegerField(required=False, min_value=1)
    notify_replies = forms.BooleanField(required=False)
    subscribe = forms.BooleanField(required=False)
    remember = forms.BooleanField(required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        limit = max_comment_length()
        if not body:
            raise forms.ValidationError(_("Please write a comment before posting it."))
        if len(body) > limit:
            raise forms.ValidationError(
                _(
                    "Please keep your comment under %(limit)s characters "
                    "(it has %(length)s)."
                )
                % {
                    "limit": number_format(limit, force_grouping=True),
                    "length": number_format(len(body), force_grouping=True),
                }
            )
        return body

    def clean(self):
        data = super().clean()
        if self.user is None:
            if not (data.get("name") or "").strip() and "name" not in self.errors:
                self.add_error(
                    "name", _("Please give a name to sign your comment with.")
                )
            if not data.get("email") and "email" not in self.errors:
                self.add_error(
                    "email", _("Please give your email address (it is never shown).")
                )
        return data


class EditCommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), label=_("Your comment")
    )

    def clean_body(self) -> str:
        return CommentForm.clean_body(self)
