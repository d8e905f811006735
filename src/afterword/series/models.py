"""Series: an ordered list of parts, each a post or a planned entry.

A part is either linked to a post (any status; a post belongs to at most one
series, enforced by a unique column) or planned: a working title and an
optional expected month. What readers see of a part is decided when the page
is rendered, from the post's status and publish time, so a part that goes live
(at once or on schedule) appears everywhere without anyone editing the series.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.models import TimestampedModel
from afterword.core.urls import reverse_with_slug

DEFAULT_TITLE_PATTERN = "{series} Part {n}: {title}"


class Series(TimestampedModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField("description (Markdown)", blank=True)
    description_html = models.TextField(blank=True, editable=False)
    cover_image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    title_pattern = models.CharField(
        max_length=200,
        blank=True,
        default=DEFAULT_TITLE_PATTERN,
        help_text=(
            "How a part's title is shown in the series: {series}, {n} and "
            "{title} are replaced. Leave empty to show the post's own title."
        ),
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_with_slug("series:detail", self.slug)

    def display_title(self, number: int, title: str) -> str:
        """A part's title through this series' pattern (or as it is)."""
        if not self.title_pattern:
            return title
        return (
            self.title_pattern.replace("{series}", self.title)
            .replace("{n}", str(number))
            .replace("{title}", title)
        )


class SeriesPart(models.Model):
    series = models.ForeignKey(Series, related_name="parts", on_delete=models.CASCADE)
    position = models.PositiveIntegerField(
        help_text="Parts are listed by this number, smallest first."
    )
    # One-to-one: a post is a part of at most one series.
    post = models.OneToOneField(
        "posts.Post",
        null=True,
        blank=True,
        related_name="series_part",
        on_delete=models.SET_NULL,
        limit_choices_to={"kind": "post"},
    )
    planned_title = models.CharField(
        max_length=300,
        blank=True,
        help_text="Working title of a part that is not written yet.",
    )
    expected_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the part is expected; readers see the month only.",
    )

    class Meta:
        ordering = ["series", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.series} #{self.position}: {self.title}"

    @property
    def title(self) -> str:
        if self.post_id is not None:
            return self.post.title
        # A part whose post was deleted keeps its place, untitled.
        return self.planned_title or _("Untitled part")

    def reader_title(self, now=None) -> str:
        """The title readers see: the post's once it is live, the working
        title (the writer's public promise) before that, never a draft's own
        title, which is not announced yet."""
        if self.is_published(now):
            return self.post.title
        return self.planned_title or _("Untitled part")

    def is_published(self, now=None) -> bool:
        """True when the contents link the part's post (the rule of
        ``listed()``: an unlisted or private part shows as not out yet)."""
        return self.post_id is not None and self.post.is_listed(now or timezone.now())
