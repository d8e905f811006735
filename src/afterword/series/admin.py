"""Managing series in the admin: add, reorder and plan parts.

Parts are edited inline on the series (the position column orders them);
the parts list has the one-click action that turns planned parts into draft
posts. Every save and delete is one of ``series.actions`` (through
``core.admin.ActionAdmin``), and the forms show the same refusals as those
actions, in the same words (``series.actions.part_problems``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from afterword.core.admin import ActionAdmin

from . import actions as series_actions
from .models import Series, SeriesPart


class SeriesPartForm(forms.ModelForm):
    """A part edited inline on its series.

    Positions are checked across the whole formset instead (parts may swap
    places in one save), so this form leaves them to ``SeriesPartFormSet``.
    """

    check_position = False

    class Meta:
        model = SeriesPart
        fields = ["position", "post", "planned_title", "expected_date"]

    def clean(self):
        cleaned = super().clean()
        part = self.instance
        if "series" in cleaned:
            part.series = cleaned["series"]
        part.post = cleaned.get("post")
        part.planned_title = cleaned.get("planned_title") or ""
        part.position = cleaned.get("position") if self.check_position else None
        if part.series_id is None and self.check_position:
            return cleaned
        for field, message in series_actions.part_problems(part).items():
            self.add_error(field, message)
        return cleaned


class StandalonePartForm(SeriesPartForm):
    """A part edited on its own page: here the position is checked directly."""

    check_position = True

    class Meta(SeriesPartForm.Meta):
        fields = ["series", "position", "post", "planned_title", "expected_date"]


class SeriesPartFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: dict[int, str] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            position = form.cleaned_data.get("position")
            if position is None:
                continue
            post = form.cleaned_data.get("post")
            title = post.title if post else form.cleaned_data.get("planned_title", "")
            if position in seen:
                raise ValidationError(
                    f"Two parts share position {position} (“{seen[position]}” and "
                    f"“{title}”). Give each part its own position."
                )
            seen[position] = title


class SeriesPartInline(admin.TabularInline):
    model = SeriesPart
    form = SeriesPartForm
    formset = SeriesPartFormSet
    extra = 1
    ordering = ["position", "pk"]
    autocomplete_fields = ["post"]
    readonly_fields = ["state"]
    fields = ["position", "post", "planned_title", "expected_date", "state"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post")

    @admin.display(description="readers see")
    def state(self, part: SeriesPart) -> str:
        if part.pk is None:
            return ""
        if part.post_id is None:
            return "Planned: coming soon"
        if part.is_published():
            return format_html(
                '<a href="{}">Published</a>', part.post.get_absolute_url()
            )
        return f"{part.post.get_status_display()}: coming soon"


@admin.register(Series)
class SeriesAdmin(ActionAdmin):
    list_display = ["title", "slug", "part_count"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cover_image"]
    inlines = [SeriesPartInline]

    @admin.display(description="parts")
    def part_count(self, series: Series) -> int:
        return series.parts.count()

    def save_formset(self, request, form, formset, change):
        """The parts table is saved as a whole (parts may swap positions)."""
        if formset.model is not SeriesPart:
            return super().save_formset(request, form, formset, change)
        parts = formset.save(commit=False)
        series_actions.SaveSeriesParts(
            form.instance, parts, formset.deleted_objects, user=request.user
        ).run()
        formset.save_m2m()


@admin.register(SeriesPart)
class SeriesPartAdmin(ActionAdmin):
    form = StandalonePartForm
    list_display = ["__str__", "series", "position", "post", "expected_date"]
    list_filter = ["series"]
    list_select_related = ["series", "post"]
    autocomplete_fields = ["post"]
    actions = ["draft_planned_parts"]

    @admin.action(description="Turn the selected planned parts into draft posts")
    def draft_planned_parts(self, request, queryset):
        created = []
        for part in queryset.select_related("series"):
            try:
                created.append(series_actions.draft_from_plan(part, user=request.user))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        if created:
            titles = ", ".join(f"“{post.title}”" for post in created)
            self.message_user(
                request,
                f"Created {len(created)} draft post(s), linked to their parts: "
                f"{titles}.",
                messages.SUCCESS,
            )
