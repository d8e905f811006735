"""Every change to series and their parts, as named actions.

The admin (series with their parts inline, the parts list and its "turn
planned parts into drafts" action), the demo loader and the tests call these.
A part's problems (no title, a taken position, a post already in a series)
are refused the same way everywhere, with the same words. Pages follow from
the declared models (``series.apps``). Publishing a part's post needs nothing
from here: the table of contents is computed from the post's status when a
page is rendered.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.text import slugify

from afterword.core.actions import Action, DeleteObject, SaveObject
from afterword.core.markdown import render_markdown
from afterword.posts.actions import SavePost
from afterword.posts.models import Post

from .models import Series, SeriesPart


class SaveSeries(SaveObject):
    """Render the description's Markdown and store the series."""

    name = "series.save_series"

    def execute(self) -> Series:
        series = self.instance
        series.description_html = render_markdown(series.description).html
        series.save()
        return series


class DeleteSeries(DeleteObject):
    """Delete a series and its parts (never their posts)."""

    name = "series.delete_series"


def part_problems(part: SeriesPart, *, check_position: bool = True) -> dict[str, str]:
    """What is wrong with ``part`` as it would be stored, by field name.

    ``check_position=False`` leaves positions to the caller, which checks a
    whole set of parts at once (:class:`SaveSeriesParts`).
    """
    problems: dict[str, str] = {}
    if part.post_id is None and not part.planned_title.strip():
        problems["planned_title"] = (
            "A planned part needs a working title (or choose its post)."
        )
    if check_position and part.series_id is not None and part.position is not None:
        clash = (
            SeriesPart.objects.filter(series_id=part.series_id, position=part.position)
            .exclude(pk=part.pk)
            .first()
        )
        if clash is not None:
            problems["position"] = (
                f"Position {part.position} is already taken by “{clash.title}”. "
                "Give each part its own position."
            )
    if part.post_id is not None:
        other = (
            SeriesPart.objects.filter(post_id=part.post_id)
            .exclude(pk=part.pk)
            .select_related("series")
            .first()
        )
        if other is not None:
            problems["post"] = (
                f"This post is already a part of the series “{other.series}”. "
                "A post can belong to one series only."
            )
    return problems


class SavePart(SaveObject):
    """Validate and store one part; raise ValidationError and store nothing."""

    name = "series.save_part"

    def validate(self) -> None:
        part = self.instance
        if part.position is None and part.series_id is not None:
            # No place given (the API, a script): after the last part.
            last = SeriesPart.objects.filter(series_id=part.series_id).aggregate(
                last=Max("position")
            )["last"]
            part.position = (last or 0) + 1
        problems = part_problems(part)
        if problems:
            raise ValidationError(problems)


class DeletePart(DeleteObject):
    name = "series.delete_part"


class SaveSeriesParts(Action):
    """Store a series' parts as edited together on the series (reordered,
    added, removed): positions are checked as one set, so two parts may swap
    places in a single save."""

    name = "series.save_parts"
    permission = "series.change_seriespart"

    def __init__(self, series: Series, parts, removed=(), *, user=None):
        super().__init__(user=user)
        self.series = series
        self.parts = list(parts)
        self.removed = list(removed)

    def check(self) -> None:
        super().check()
        problems: dict[str, str] = {}
        for part in self.parts:
            part.series = self.series
            problems.update(part_problems(part, check_position=False))
        edited = {part.pk for part in self.parts + self.removed if part.pk}
        kept = SeriesPart.objects.filter(series=self.series).exclude(pk__in=edited)
        taken: dict[int, str] = {
            part.position: part.title for part in kept if part.position is not None
        }
        for part in self.parts:
            if part.position is None:
                continue
            if part.position in taken:
                other = taken[part.position]
                problems["position"] = (
                    f"Two parts share position {part.position} (“{other}” and "
                    f"“{part.title}”). Give each part its own position."
                )
            taken[part.position] = part.title
        if problems:
            raise ValidationError(problems)

    def execute(self) -> list[SeriesPart]:
        for part in self.removed:
            part.delete()
        for part in self.parts:
            part.save()
        return self.parts


def unique_post_slug(title: str) -> str:
    base = slugify(title, allow_unicode=True)[:180] or "part"
    slug, n = base, 2
    while Post.objects.posts().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class DraftFromPlan(SaveObject):
    """Turn a planned part into a draft post with its working title, linked."""

    name = "series.draft_from_plan"

    def required_permission(self) -> str:
        return "posts.add_post"

    def validate(self) -> None:
        part = self.instance
        if part.post_id is not None:
            raise ValidationError(f"“{part.title}” already has a post.")
        if not part.planned_title.strip():
            raise ValidationError("A planned part needs a working title first.")

    def execute(self) -> Post:
        part = (
            SeriesPart.objects.select_for_update()
            .select_related("series")
            .get(pk=self.instance.pk)
        )
        self.instance = part
        self.validate()
        post = Post(
            kind=Post.Kind.POST,
            title=part.planned_title.strip(),
            slug=unique_post_slug(part.planned_title),
            author=self.user,
            status=Post.Status.DRAFT,
            body="",
        )
        SavePost(
            post, user=self.user, note=f"Drafted from the plan of “{part.series}”"
        ).run()
        part.post = post
        part.save(update_fields=["post"])
        return post


# Short ways in, for code that just wants a series or a part saved.


def save_series(series: Series, *, user=None) -> Series:
    return SaveSeries(series, user=user).run()


def save_part(part: SeriesPart, *, user=None) -> SeriesPart:
    return SavePart(part, user=user).run()


def delete_series(series: Series, *, user=None) -> None:
    DeleteSeries(series, user=user).run()


def delete_part(part: SeriesPart, *, user=None) -> None:
    DeletePart(part, user=user).run()


def draft_from_plan(part: SeriesPart, *, user) -> Post:
    return DraftFromPlan(part, user=user).run()
