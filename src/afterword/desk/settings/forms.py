from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from afterword.accounts.roles import ROLES
from afterword.discussion.models import DiscussionSettings

ROLE_CHOICES = [(role.slug, role.label) for role in ROLES]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("No role (a reader)")), *ROLE_CHOICES],
        required=False,
    )


class NewWriterForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial="author")

    class Meta:
        model = get_user_model()
        fields = ["username", "email", "display_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


class DiscussionSettingsForm(forms.ModelForm):
    class Meta:
        model = DiscussionSettings
        fields = [
            "comments_enabled",
            "hold_first_comment",
            "trust_logged_in",
            "max_links",
            "close_after_days",
            "max_depth",
            "edit_minutes",
            "notify_author",
            "use_gravatar",
            "hold_words",
            "blocked_words",
            "blocked_emails",
            "blocked_ips",
            "blocked_domains",
            "flood_ip_limit",
            "flood_identity_limit",
            "flood_window_seconds",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "hold_words",
                "blocked_words",
                "blocked_emails",
                "blocked_ips",
                "blocked_domains",
            )
        }
