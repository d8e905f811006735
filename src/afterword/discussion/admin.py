"""The writer's moderation queue and discussion settings, in the admin.

Every write is one of ``discussion.actions`` (``core.admin.ActionAdmin``), so
the admin behaves like the one-click email links: notifications go out, and
pages follow by themselves.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from afterword.core import changes
from afterword.core.admin import ActionAdmin, refusal_text

from . import actions as comment_actions
from .models import Comment, CommentSubscription, DiscussionSettings


class StatusFilter(admin.SimpleListFilter):
    """Status with counts, held first, like WordPress's comment screen."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        return [
            (value, f"{label} ({counts.get(value, 0)})")
            for value, label in Comment.Status.choices
        ]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class CommentAdminForm(forms.ModelForm):
    reply = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Write a reply to publish under this comment, as you. "
        "A held comment is approved first.",
    )

    class Meta:
        model = Comment
        fields = ["body"]


@admin.register(Comment)
class CommentAdmin(ActionAdmin):
    form = CommentAdminForm
    list_display = (
        "author_name",
        "excerpt",
        "post_link",
        "status",
        "created_at",
        "ip_address",
    )
    list_filter = (StatusFilter, "is_post_author")
    search_fields = ("author_name", "author_email", "body", "ip_address")
    list_select_related = ("post",)
    date_hierarchy = "created_at"
    actions = ["approve_selected", "spam_selected", "trash_selected"]
    readonly_fields = (
        "post",
        "parent",
        "status",
        "moderation_note",
        "author_name",
        "author_email",
        "author_url",
        "provider_name",
        "ip_address",
        "user_agent",
        "created_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "post",
                    "parent",
                    "status",
                    "moderation_note",
                    "body",
                    "reply",
                )
            },
        ),
        (
            "Commenter",
            {
                "fields": (
                    "author_name",
                    "author_email",
                    "author_url",
                    "provider_name",
                    "ip_address",
                    "user_agent",
                    "created_at",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return False

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return obj.body[:80] + ("…" if len(obj.body) > 80 else "")

    @admin.display(description="on")
    def post_link(self, obj: Comment):
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), obj.post.title
        )

    def save_model(self, request, obj, form, change):
        if "body" in form.changed_data:
            comment_actions.EditComment(obj, user=request.user, change=True).run()
        reply = form.cleaned_data.get("reply", "").strip()
        if reply:
            comment_actions.ReplyToComment(obj, reply, user=request.user).run()
            self.message_user(request, "Your reply is published.", messages.SUCCESS)

    def _bulk(self, request, queryset, action, done: str):
        changed, refused = 0, []
        with changes.collect():
            for comment in queryset.select_related("post"):
                try:
                    changed += bool(action(comment, user=request.user).run())
                except PermissionDenied as error:
                    refused.append(refusal_text(error))
        self.message_user(request, f"{changed} comment(s) {done}.", messages.SUCCESS)
        for text in sorted(set(refused)):
            self.message_user(request, text, messages.ERROR)

    @admin.action(description="Approve selected comments")
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, comment_actions.ApproveComment, "approved")

    @admin.action(description="Mark selected comments as spam")
    def spam_selected(self, request, queryset):
        self._bulk(request, queryset, comment_actions.SpamComment, "marked as spam")

    @admin.action(description="Move selected comments to the trash")
    def trash_selected(self, request, queryset):
        self._bulk(
            request, queryset, comment_actions.TrashComment, "moved to the trash"
        )


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(ActionAdmin):
    fieldsets = (
        (
            "Comments",
            {
                "fields": (
                    "comments_enabled",
                    "close_after_days",
                    "max_depth",
                    "edit_minutes",
                    "use_gravatar",
                    "notify_author",
                )
            },
        ),
        (
            "Moderation",
            {
                "fields": (
                    "hold_first_comment",
                    "trust_logged_in",
                    "max_links",
                    "hold_words",
                )
            },
        ),
        (
            "Block lists",
            {
                "fields": (
                    "blocked_words",
                    "blocked_emails",
                    "blocked_ips",
                    "blocked_domains",
                )
            },
        ),
        (
            "Flood control",
            {
                "fields": (
                    "flood_ip_limit",
                    "flood_identity_limit",
                    "flood_window_seconds",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return not DiscussionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row only: the list is just a detour to it.
        DiscussionSettings.objects.get_or_create(pk=1)
        return HttpResponseRedirect(
            reverse("admin:discussion_discussionsettings_change", args=[1])
        )


@admin.register(CommentSubscription)
class CommentSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "post", "confirmed_at", "created_at")
    list_filter = ("confirmed_at",)
    search_fields = ("email",)
    list_select_related = ("post",)
