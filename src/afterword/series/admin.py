"""Managing series in the admin: add, reorder and plan parts.

Parts are edited inline on the series (the position column orders them);
the parts list has the one-click action that turns planned parts into draft
posts. Validation messages come from ``services.part_problems`` so the admin
and code calling the services refuse the same things with the same words.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from . import services
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
        for field, message in services.part_problems(part).items():
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
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "part_count"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cover_image"]
    inlines = [SeriesPartInline]

    @admin.display(description="parts")
    def part_count(self, series: Series) -> int:
        return series.parts.count()

    def save_model(self, request, obj, form, change):
        services.save_series(obj)

    def delete_model(self, request, obj):
        services.delete_series(obj)

    def delete_queryset(self, request, queryset):
        for series in queryset:
            services.delete_series(series)

    def save_formset(self, request, form, formset, change):
        formset.save()
        services.announce(form.instance)


@admin.register(SeriesPart)
class SeriesPartAdmin(admin.ModelAdmin):
    form = StandalonePartForm
    list_display = ["__str__", "series", "position", "post", "expected_date"]
    list_filter = ["series"]
    list_select_related = ["series", "post"]
    autocomplete_fields = ["post"]
    actions = ["draft_planned_parts"]

    def save_model(self, request, obj, form, change):
        services.save_part(obj)

    def delete_model(self, request, obj):
        services.delete_part(obj)

    def delete_queryset(self, request, queryset):
        for part in queryset.select_related("series"):
            services.delete_part(part)

    @admin.action(description="Turn the selected planned parts into draft posts")
    def draft_planned_parts(self, request, queryset):
        created = []
        for part in queryset.select_related("series"):
            try:
                created.append(services.draft_from_plan(part, user=request.user))
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
