"""The writing desk: posts and pages in the Django admin.

Every write is one of ``posts.actions``: the change form saves with
``SavePost`` (rendering, publish checks, revision), the list's actions
publish, unpublish and delete one ``PublishPost``/``UnpublishPost``/
``DeletePost`` per row, terms are saved, merged and deleted by theirs
(``core.admin.ActionAdmin`` routes the admin's own save and delete there).
The editor's preview and the revision history are views in ``posts.editor``,
mounted here so they live under /admin/ and are for staff only.

Other apps add inlines to the post form by listing them, by dotted path, in
``settings.AFTERWORD_POST_ADMIN_INLINES``.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.timesince import timeuntil

from afterword.core import changes
from afterword.core.admin import ActionAdmin, refusal_text

from . import actions as post_actions
from . import editor
from .admin_forms import PostAdminForm
from .models import Category, Page, Post, Tag


def describe_schedule(post: Post, now=None) -> str:
    """A sentence saying when a post goes, or went, live."""
    now = now or timezone.now()
    if post.status == Post.Status.DRAFT or post.published_at is None:
        return "Not published: a draft is visible only here."
    when = date_format(timezone.localtime(post.published_at), "DATETIME_FORMAT")
    zone = timezone.get_current_timezone_name()
    if post.published_at > now:
        return f"Goes live on {when} ({zone}), in {timeuntil(post.published_at, now)}."
    return f"Live since {when} ({zone})."


class EditorAdmin(ActionAdmin):
    """What posts and pages share: the editor, saving, revisions, actions."""

    form = PostAdminForm
    change_form_template = "admin/posts/editor_change_form.html"
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ["title", "body", "excerpt"]
    list_select_related = ["author"]
    readonly_fields = ["goes_live"]
    actions = ["publish_now", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.form.kind)

    def get_changeform_initial_data(self, request):
        return {
            "author": request.user.pk,
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj, form, change):
        obj.kind = self.form.kind
        note = form.cleaned_data.get("revision_note", "") or (
            "Edited" if change else "Created"
        )
        # The admin's request is one transaction: the save's announcements
        # run after save_related has stored tags and categories, so listeners
        # see the post complete.
        post_actions.SavePost(obj, user=request.user, change=change, note=note).run()

    def response_change(self, request, obj):
        self._report_schedule(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._report_schedule(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _report_schedule(self, request, obj: Post) -> None:
        if obj.status == Post.Status.SCHEDULED:
            messages.info(request, describe_schedule(obj))

    @admin.display(description="Schedule")
    def goes_live(self, obj: Post) -> str:
        if obj is None or obj.pk is None:
            return "Choose a status and, to schedule, a publish time."
        return describe_schedule(obj)

    @admin.display(description="")
    def view_link(self, obj: Post):
        if not obj.is_live():
            return ""
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"

        def wrap(view):
            return self.admin_site.admin_view(functools.partial(view, model_admin=self))

        urls = [
            path(
                "<path:object_id>/revisions/",
                wrap(editor.revision_list),
                name=f"{prefix}_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(editor.revision_compare),
                name=f"{prefix}_revisions_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(editor.revision_restore),
                name=f"{prefix}_revisions_restore",
            ),
        ]
        return urls + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        if obj is not None:
            context["revisions_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_revisions",
                args=[obj.pk],
            )
            context["revision_count"] = obj.revisions.count()
        return super().render_change_form(request, context, add, change, **kwargs)

    @admin.action(description="Publish now", permissions=["change"])
    def publish_now(self, request, queryset):
        self._run_each(request, queryset, post_actions.PublishPost, "published")

    @admin.action(description="Unpublish (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._run_each(
            request, queryset, post_actions.UnpublishPost, "moved back to drafts"
        )

    def _run_each(self, request, queryset, action, verb: str) -> None:
        """One action per selected post; one announcement for them all."""
        done = 0
        with changes.collect():
            for post in queryset:
                try:
                    with transaction.atomic():
                        action(
                            post,
                            user=request.user,
                            note=f"{verb.capitalize()} from the list",
                        ).run()
                except (ValidationError, PermissionDenied) as error:
                    messages.error(
                        request, f"“{post.title}” was not {verb}: {refusal_text(error)}"
                    )
                else:
                    done += 1
        if done:
            opts = self.opts
            noun = opts.verbose_name if done == 1 else opts.verbose_name_plural
            messages.success(request, f"{done} {noun} {verb}.")


@admin.register(Post)
class PostAdmin(EditorAdmin):
    list_display = ["title", "status", "published_at", "author", "sticky", "view_link"]
    list_filter = ["status", "sticky", "categories", "tags", "author"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags", "categories", "featured_image"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "goes_live",
                    "visibility",
                    "password",
                    "author",
                    "sticky",
                    "comments_open",
                ]
            },
        ),
        ("Filing", {"fields": ["tags", "categories", "featured_image"]}),
        ("Revision", {"fields": ["revision_note"]}),
    ]

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(editor.preview),
            name="posts_post_preview",
        )
        return [preview, *super().get_urls()]

    def get_inlines(self, request, obj):
        """The inlines other apps registered in AFTERWORD_POST_ADMIN_INLINES."""
        paths = getattr(settings, "AFTERWORD_POST_ADMIN_INLINES", [])
        return [*self.inlines, *(import_string(dotted) for dotted in paths)]


class PageAdminForm(PostAdminForm):
    kind = Post.Kind.PAGE

    class Meta(PostAdminForm.Meta):
        model = Page

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A page has no date of its own: it is a draft or it is live.
        self.fields["status"].choices = [
            (value, label)
            for value, label in self.fields["status"].choices
            if value != Post.Status.SCHEDULED
        ]


@admin.register(Page)
class PageAdmin(EditorAdmin):
    form = PageAdminForm
    list_display = ["title", "status", "author", "updated_at", "view_link"]
    list_filter = ["status"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "visibility",
                    "password",
                    "author",
                    "comments_open",
                ]
            },
        ),
        ("Revision", {"fields": ["revision_note"]}),
    ]
    readonly_fields = []


class TermAdmin(ActionAdmin):
    """Tags and categories: renamed, merged and deleted through their actions,
    so every post showing one changes with it (page, listings, search)."""

    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    actions = ["merge_into_first"]

    @admin.action(
        description="Merge the selected into the first one (by name)",
        permissions=["delete"],
    )
    def merge_into_first(self, request, queryset):
        terms = list(queryset.order_by("name", "pk"))
        if len(terms) < 2:
            messages.warning(request, "Select at least two to merge.")
            return
        target, sources = terms[0], terms[1:]
        try:
            post_actions.MergeTerms(target, sources, user=request.user).run()
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"Nothing merged: {refusal_text(error)}")
            return
        names = ", ".join(f"“{term.name}”" for term in sources)
        messages.success(request, f"Merged {names} into “{target.name}”.")


@admin.register(Tag)
class TagAdmin(TermAdmin):
    list_display = ["name", "slug"]


@admin.register(Category)
class CategoryAdmin(TermAdmin):
    list_display = ["name", "slug", "parent"]
