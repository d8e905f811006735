"""The two small forms of the home: a quick draft and a reply to a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from afterword.posts.models import Post

TITLE_LENGTH = Post._meta.get_field("title").max_length


class QuickDraftForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_LENGTH,
        error_messages={"required": _("Give the draft a title.")},
    )
    body = forms.CharField(
        label=_("What is it about?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. You can finish it in the editor."),
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the draft a title."))
        return title


class CommentActionForm(forms.Form):
    """Approve, mark as spam, or answer one held comment."""

    ACTIONS = (("approve", _("Approve")), ("spam", _("Spam")), ("reply", _("Reply")))

    action = forms.ChoiceField(choices=ACTIONS)
    body = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reply" and not cleaned.get("body", "").strip():
            raise forms.ValidationError(_("Write a reply before sending it."))
        return cleaned
