"""The catalog in the admin, and the inlines that link posts to it.

Every save and delete, inlines included, is one of ``catalog.actions``
(``core.admin.ActionAdmin``). ``PostWorkInline`` and ``PostMentionInline`` are
added to the post editor via ``settings.AFTERWORD_POST_ADMIN_INLINES``: their
autocomplete widgets find works and people as the writer types, and the “+”
beside them creates a missing one in a popup without leaving the post.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from afterword.core.admin import ActionAdmin

from .models import (
    Credit,
    Organisation,
    Person,
    PostMention,
    PostWork,
    Release,
    Role,
    Work,
    WorkRelation,
)
from .rules import rating_scale


class CreditInline(admin.TabularInline):
    model = Credit
    fk_name = "work"
    extra = 1
    autocomplete_fields = ["person", "organisation", "role"]
    fields = ["role", "person", "organisation", "character_name", "applies_to_parts"]


class PersonCreditInline(CreditInline):
    fk_name = "person"
    autocomplete_fields = ["work", "role"]
    fields = ["work", "role", "character_name", "applies_to_parts"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("work", "role")


class ReleaseInline(admin.StackedInline):
    model = Release
    extra = 0
    autocomplete_fields = ["distributor"]


class RelationInline(admin.TabularInline):
    model = WorkRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = "relation to another work"
    verbose_name_plural = "relations to other works"


class PartInline(admin.TabularInline):
    model = Work
    fk_name = "parent"
    extra = 0
    fields = ["part_order", "title", "kind", "year"]
    show_change_link = True
    verbose_name = "part"
    verbose_name_plural = "parts (segments, episodes…)"


@admin.register(Work)
class WorkAdmin(ActionAdmin):
    list_display = ["title", "year", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["title", "original_title", "alternative_titles", "slug"]
    prepopulated_fields = {"slug": ["title", "year"]}
    autocomplete_fields = ["parent"]
    raw_id_fields = ["image"]
    inlines = [CreditInline, PartInline, ReleaseInline, RelationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "year", "parent", "part_order"]}),
        (
            "Details",
            {
                "fields": [
                    "original_title",
                    "alternative_titles",
                    "runtime",
                    "country",
                    "synopsis",
                    "image",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


@admin.register(Person)
class PersonAdmin(ActionAdmin):
    list_display = ["name", "native_name"]
    search_fields = ["name", "native_name", "alternative_names", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["image"]
    inlines = [PersonCreditInline]


@admin.register(Organisation)
class OrganisationAdmin(ActionAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "native_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Role)
class RoleAdmin(ActionAdmin):
    list_display = ["name", "kind", "sort_order", "is_key", "jsonld_property"]
    list_editable = ["sort_order", "is_key"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PostWorkFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("is_primary")
        ]
        if len(primaries) > 1:
            raise ValidationError("Mark only one work as the primary one.")


class PostWorkInline(admin.TabularInline):
    """Works the post is about, with the rating and the spoiler flag."""

    model = PostWork
    formset = PostWorkFormSet
    extra = 1
    autocomplete_fields = ["work"]
    fields = ["work", "is_primary", "rating", "contains_spoilers"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("work")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "rating" and field is not None:
            scale = rating_scale()
            field.help_text = (
                f"From 0 to {scale}, in steps of 0.5; empty for none."
                if scale
                else "This site does not use ratings."
            )
        return field


class PostMentionInline(admin.TabularInline):
    """People and works the post discusses; inline references add their own."""

    model = PostMention
    extra = 1
    autocomplete_fields = ["person", "work"]
    fields = ["person", "work", "from_reference"]
    readonly_fields = ["from_reference"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "work")
