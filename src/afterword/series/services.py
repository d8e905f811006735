"""Changing series and their parts: the admin, the demo and tests call these.

Every change is announced with ``posts.signals.content_changed`` once it is
committed, so the page cache drops pages showing an old table of contents.
Publishing a part's post needs nothing from here: ``save_post`` and the
scheduler already announce it, and the table of contents is computed from the
post's status when a page is rendered.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from afterword.core.markdown import render_markdown
from afterword.posts.models import Post
from afterword.posts.services import save_post
from afterword.posts.signals import content_changed

from .models import Series, SeriesPart


def announce(series: Series) -> None:
    """Tell the page cache (and anyone else) once the change is committed."""
    transaction.on_commit(lambda: content_changed.send(sender=Series, instance=series))


@transaction.atomic
def save_series(series: Series) -> Series:
    """Render the description's Markdown and store the series."""
    series.description_html = render_markdown(series.description).html
    series.save()
    announce(series)
    return series


def part_problems(part: SeriesPart) -> dict[str, str]:
    """What is wrong with ``part`` as it would be stored, by field name."""
    problems: dict[str, str] = {}
    if part.post_id is None and not part.planned_title.strip():
        problems["planned_title"] = (
            "A planned part needs a working title (or choose its post)."
        )
    if part.series_id is not None and part.position is not None:
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


@transaction.atomic
def save_part(part: SeriesPart) -> SeriesPart:
    """Validate and store one part; raise ValidationError and store nothing."""
    problems = part_problems(part)
    if problems:
        raise ValidationError(problems)
    part.save()
    announce(part.series)
    return part


@transaction.atomic
def delete_series(series: Series) -> None:
    """Delete a series and its parts (never their posts)."""
    series.delete()
    announce(series)


@transaction.atomic
def delete_part(part: SeriesPart) -> None:
    series = part.series
    part.delete()
    announce(series)


def unique_post_slug(title: str) -> str:
    base = slugify(title)[:180] or "part"
    slug, n = base, 2
    while Post.objects.posts().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def draft_from_plan(part: SeriesPart, *, user) -> Post:
    """Turn a planned part into a draft post with its working title, linked."""
    part = (
        SeriesPart.objects.select_for_update().select_related("series").get(pk=part.pk)
    )
    if part.post_id is not None:
        raise ValidationError(f"“{part.title}” already has a post.")
    if not part.planned_title.strip():
        raise ValidationError("A planned part needs a working title first.")
    post = Post(
        kind=Post.Kind.POST,
        title=part.planned_title.strip(),
        slug=unique_post_slug(part.planned_title),
        author=user,
        status=Post.Status.DRAFT,
        body="",
    )
    save_post(post, user=user, note=f"Drafted from the plan of “{part.series}”")
    part.post = post
    part.save(update_fields=["post"])
    announce(part.series)
    return post
