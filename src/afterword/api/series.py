"""Series and their parts, written and planned (``series`` actions). Writes
need the ``catalog`` scope."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from afterword.credentials import scopes
from afterword.posts.models import Post
from afterword.series.actions import DeletePart, DeleteSeries, SavePart, SaveSeries
from afterword.series.models import Series, SeriesPart

from .auth import need, user
from .conditional import check_if_match
from .errors import ApiError
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset, paginate
from .responses import DELETING, reading, writing
from .schemas import (
    PartIn,
    PartList,
    PartOut,
    PartPatch,
    SeriesIn,
    SeriesOut,
    SeriesPage,
    SeriesPatch,
)

router = Router()
KEYSET = Keyset("series", "title", descending=False)


def _apply_series(series: Series, data: dict) -> None:
    for field, value in data.items():
        setattr(series, field, value.strip())
    if not series.slug:
        series.slug = slugify(series.title)[:200]
    clash = Series.objects.filter(slug=series.slug).exclude(pk=series.pk)
    if not series.slug or clash.exists():
        raise ApiError(
            422,
            _("This address is taken or empty."),
            fields={"slug": _("Choose another slug.")},
        )


@router.get("", response=reading(SeriesPage), summary="List series")
def list_series(
    request,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    return paginate(Series.objects.all(), KEYSET, cursor, limit)


@router.get("/{int:series_id}", response=reading(SeriesOut), summary="Read a series")
def get_series(request, series_id: int):
    return get_object_or_404(Series, pk=series_id)


@router.post("", response=writing(SeriesOut, 201), summary="Start a series")
def create_series(request, payload: SeriesIn):
    need(request, scopes.CATALOG)
    series = Series()
    _apply_series(series, payload.model_dump(exclude_unset=True))
    SaveSeries(series, user=user(request)).run()
    return Status(201, series)


@router.patch("/{int:series_id}", response=writing(SeriesOut), summary="Change one")
def update_series(request, series_id: int, payload: SeriesPatch):
    need(request, scopes.CATALOG)
    with transaction.atomic():
        series = get_object_or_404(Series.objects.select_for_update(), pk=series_id)
        check_if_match(request, SeriesOut, series)
        _apply_series(series, payload.model_dump(exclude_unset=True))
        SaveSeries(series, user=user(request)).run()
    return Series.objects.get(pk=series.pk)


@router.delete("/{int:series_id}", response=DELETING, summary="Delete (not posts)")
def delete_series(request, series_id: int):
    need(request, scopes.CATALOG)
    with transaction.atomic():
        series = get_object_or_404(Series.objects.select_for_update(), pk=series_id)
        check_if_match(request, SeriesOut, series)
        DeleteSeries(series, user=user(request)).run()
    return Status(204, None)


# ---------------------------------------------------------------------------
# Parts


def _apply_part(part: SeriesPart, data: dict) -> None:
    if "post" in data:
        post_id = data["post"]
        if post_id is not None and not Post.objects.posts().filter(pk=post_id).exists():
            raise ApiError(422, _("No such post."), fields={"post": _("No such post.")})
        part.post_id = post_id
    if "planned_title" in data:
        part.planned_title = (data["planned_title"] or "").strip()
    if data.get("position") is not None:  # null: keep it (or the default)
        part.position = data["position"]
    if "expected_date" in data:
        part.expected_date = data["expected_date"]


@router.get(
    "/{int:series_id}/parts",
    response=reading(PartList),
    summary="Parts in order, written and planned",
)
def list_parts(request, series_id: int):
    series = get_object_or_404(Series, pk=series_id)
    return {"items": list(series.parts.all())}


@router.post(
    "/{int:series_id}/parts",
    response=writing(PartOut, 201),
    summary="Add a part: a post, or a planned title",
)
def create_part(request, series_id: int, payload: PartIn):
    need(request, scopes.CATALOG)
    series = get_object_or_404(Series, pk=series_id)
    part = SeriesPart(series=series)
    _apply_part(part, payload.model_dump(exclude_unset=True))
    SavePart(part, user=user(request)).run()
    return Status(201, part)


@router.get("/{int:series_id}/parts/{int:part_id}", response=reading(PartOut))
def get_part(request, series_id: int, part_id: int):
    return get_object_or_404(SeriesPart, series_id=series_id, pk=part_id)


@router.patch("/{int:series_id}/parts/{int:part_id}", response=writing(PartOut))
def update_part(request, series_id: int, part_id: int, payload: PartPatch):
    need(request, scopes.CATALOG)
    with transaction.atomic():
        part = get_object_or_404(
            SeriesPart.objects.select_for_update(), series_id=series_id, pk=part_id
        )
        check_if_match(request, PartOut, part)
        _apply_part(part, payload.model_dump(exclude_unset=True))
        SavePart(part, user=user(request)).run()
    return SeriesPart.objects.get(pk=part.pk)


@router.delete("/{int:series_id}/parts/{int:part_id}", response=DELETING)
def delete_part(request, series_id: int, part_id: int):
    need(request, scopes.CATALOG)
    with transaction.atomic():
        part = get_object_or_404(
            SeriesPart.objects.select_for_update(), series_id=series_id, pk=part_id
        )
        check_if_match(request, PartOut, part)
        DeletePart(part, user=user(request)).run()
    return Status(204, None)
