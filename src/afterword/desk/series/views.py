"""Series: each series with its parts, published and planned, and the forms
that change them through the series actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from afterword.core.counting import CappedPaginator
from afterword.desk.access import desk_view
from afterword.desk.action_errors import run_for_form
from afterword.series.actions import (
    DeleteSeries,
    DraftFromPlan,
    SaveSeries,
    SaveSeriesParts,
)
from afterword.series.models import Series, SeriesPart

from .forms import PartFormSet, SeriesForm

PAGE_SIZE = 20


def post_editor_url(post) -> str:
    """The desk's editor for ``post`` when this build has it, else the admin's."""
    try:
        return reverse("desk:edit_post", args=[post.pk])
    except NoReverseMatch:
        return reverse("admin:posts_post_change", args=[post.pk])


def part_rows(series: Series, now, today) -> list[dict]:
    rows = []
    for number, part in enumerate(series.parts.all(), start=1):
        published = part.is_published(now)
        rows.append(
            {
                "part": part,
                "number": number,
                "published": published,
                "state": "published"
                if published
                else ("draft" if part.post_id else "planned"),
                "overdue": not published
                and part.expected_date is not None
                and part.expected_date < today,
                "editor_url": post_editor_url(part.post) if part.post_id else "",
            }
        )
    return rows


def parts_prefetch() -> Prefetch:
    return Prefetch(
        "parts",
        queryset=SeriesPart.objects.select_related("post").order_by("position", "pk"),
    )


@desk_view("series.view_series")
def series_list(request):
    everything = Series.objects.prefetch_related(parts_prefetch()).order_by(
        "title", "pk"
    )
    page = CappedPaginator(everything, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    today = timezone.localdate()
    shown = [{"series": s, "parts": part_rows(s, now, today)} for s in page.object_list]
    return TemplateResponse(
        request,
        "desk/series/list.html",
        {
            "nav_current": "series",
            "page": page,
            "shown": shown,
            "can_add": request.user.has_perm("series.add_series"),
            "can_change": request.user.has_perm("series.change_series"),
            "can_draft": request.user.has_perm("posts.add_post"),
        },
    )


@desk_view("series.add_series")
def new(request):
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, series = run_for_form(SaveSeries(form.instance, user=request.user), form)
        if saved:
            messages.success(
                request,
                _("The series “%(title)s” is saved: now plan its parts.")
                % {"title": series},
            )
            return redirect("desk:series_edit", series.pk)
    return TemplateResponse(
        request,
        "desk/series/new.html",
        {"nav_current": "series", "form": form},
        status=400 if form.is_bound else 200,
    )


@desk_view("series.change_series")
def edit(request, pk: int):
    """The series' details and its parts, as two forms each saved by its own
    action (``which`` says which one was sent)."""
    series = get_object_or_404(Series, pk=pk)
    sent = request.POST.get("which") if request.method == "POST" else None
    # The form edits a copy: the page's heading keeps the stored title.
    form = SeriesForm(
        request.POST if sent == "series" else None,
        instance=Series.objects.get(pk=series.pk),
    )
    parts = PartFormSet(
        request.POST if sent == "parts" else None,
        queryset=SeriesPart.objects.filter(series=series)
        .select_related("post")
        .order_by("position", "pk"),
        prefix="parts",
    )
    part_errors: list[str] = []
    if sent == "series" and form.is_valid():
        saved, _series = run_for_form(
            SaveSeries(form.instance, user=request.user), form
        )
        if saved:
            messages.success(request, _("The series is saved."))
            return redirect("desk:series_edit", series.pk)
    if sent == "parts" and parts.is_valid():
        kept, removed = [], []
        for part_form in parts.forms:
            part = part_form.instance
            if part_form in parts.deleted_forms:
                if part.pk:
                    removed.append(part)
            elif part.pk or part_form.has_changed():
                part.series = series
                kept.append(part)
        try:
            SaveSeriesParts(series, kept, removed, user=request.user).run()
        except ValidationError as error:
            part_errors = error.messages
        else:
            messages.success(request, _("The parts are saved."))
            return redirect("desk:series_edit", series.pk)
    now, today = timezone.now(), timezone.localdate()
    rows = {row["part"].pk: row for row in part_rows_for(series, now, today)}
    return TemplateResponse(
        request,
        "desk/series/edit.html",
        {
            "nav_current": "series",
            "series": series,
            "form": form,
            "parts": parts,
            "part_forms": [(f, rows.get(f.instance.pk)) for f in parts.forms],
            "part_errors": part_errors,
            "rows": list(rows.values()),
            "can_delete": request.user.has_perm("series.delete_series"),
            "can_draft": request.user.has_perm("posts.add_post"),
        },
        status=400 if sent else 200,
    )


def part_rows_for(series: Series, now, today) -> list[dict]:
    series = Series.objects.prefetch_related(parts_prefetch()).get(pk=series.pk)
    return part_rows(series, now, today)


@require_POST
@desk_view("posts.add_post")
def draft(request, pk: int):
    part = get_object_or_404(SeriesPart.objects.select_related("series"), pk=pk)
    try:
        post = DraftFromPlan(part, user=request.user).run()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        if request.POST.get("back") == "edit":
            return redirect("desk:series_edit", part.series_id)
        return redirect("desk:series")
    messages.success(
        request, _("A draft “%(title)s” is ready for you to write.") % {"title": post}
    )
    return redirect(post_editor_url(post))


@require_POST
@desk_view("series.delete_series")
def delete(request, pk: int):
    series = get_object_or_404(Series, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect("desk:series_edit", series.pk)
    DeleteSeries(series, user=request.user).run()
    messages.success(
        request,
        _("The series “%(title)s” is deleted; its posts are kept.") % {"title": series},
    )
    return redirect("desk:series")
