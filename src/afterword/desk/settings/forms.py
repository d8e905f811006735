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
        labels = {"display_name": _("Display name")}

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
        labels = {
            "comments_enabled": _("Comments enabled"),
            "hold_first_comment": _("Hold a first comment"),
            "trust_logged_in": _("Publish logged-in readers at once"),
            "max_links": _("Max links"),
            "close_after_days": _("Close after days"),
            "max_depth": _("Max depth"),
            "edit_minutes": _("Edit minutes"),
            "notify_author": _("Notify author"),
            "use_gravatar": _("Use Gravatar"),
            "hold_words": _("Hold words"),
            "blocked_words": _("Blocked words"),
            "blocked_emails": _("Blocked emails"),
            "blocked_ips": _("Blocked IPs"),
            "blocked_domains": _("Blocked domains"),
            "flood_ip_limit": _("Flood limit per IP address"),
            "flood_identity_limit": _("Flood limit per commenter"),
            "flood_window_seconds": _("Flood window (seconds)"),
        }
        help_texts = {
            "hold_first_comment": _(
                "Hold comments from people with no approved comment yet."
            ),
            "trust_logged_in": _(
                "Readers logged in through an account (Google, Mastodon…) skip the "
                "first-comment hold; the other rules still apply."
            ),
            "max_links": _("Hold a comment with more links than this."),
            "close_after_days": _(
                "Close comments on posts older than this many days (0: never)."
            ),
            "max_depth": _("How deep replies may nest (1: no replies)."),
            "edit_minutes": _(
                "How long commenters may edit or delete their own comment."
            ),
            "notify_author": _("Email the post's author about new and held comments."),
            "use_gravatar": _(
                "Show Gravatar images (readers' browsers then contact Gravatar). "
                "Off: avatars are drawn on this server."
            ),
            "hold_words": _(
                "One word, email, IP or domain per line: matching comments are held."
            ),
            "blocked_words": _("One word per line: matching comments go to spam."),
            "blocked_emails": _("One address per line."),
            "blocked_ips": _("One IP address or network (CIDR) per line."),
            "blocked_domains": _(
                "One domain per line: matched in emails, websites and links."
            ),
            "flood_ip_limit": _("Comment posts allowed per IP address per window."),
            "flood_identity_limit": _("Comments allowed per commenter per window."),
            "flood_window_seconds": _(
                "The span of time the two limits above count over."
            ),
        }
