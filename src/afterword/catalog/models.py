"""The catalog: works, the people and organisations who made them, and posts about them.

Dependency direction: ``posts <- catalog``. The catalog links to posts
(``PostWork``, ``PostMention``); the posts app never imports the catalog.
The rules about values (parents without cycles, ratings on the site's scale)
are in ``rules.py``; every change goes through ``actions.py``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from afterword.core.models import TimestampedModel
from afterword.core.urls import reverse_with_slug

from .rules import check_parent, check_rating


def split_lines(value: str) -> list[str]:
    """The non-empty lines of a one-entry-per-line text field."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class Role(models.Model):
    """What someone did on a work: a curated list the writer can extend in the admin."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    plural_label = models.CharField(
        max_length=100, blank=True, help_text="Heading on work pages, e.g. “Directors”."
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_key = models.BooleanField(
        default=False,
        help_text="People shared in key roles relate works in “If you liked this”.",
    )
    jsonld_property = models.CharField(
        max_length=40,
        blank=True,
        help_text="schema.org property for structured data (director, musicBy…).",
    )
    has_character = models.BooleanField(
        default=False, help_text="Credits in this role name a character (voice, cast)."
    )

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def heading(self) -> str:
        return self.plural_label or self.name


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        STUDIO = "studio", _("Studio")
        DISTRIBUTOR = "distributor", _("Distributor")
        PUBLISHER = "publisher", _("Publisher")
        LABEL = "label", _("Label")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STUDIO)
    native_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        # The index page's order, read by keyset (core.keyset).
        indexes = [models.Index(fields=["name", "id"], name="organisation_by_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_with_slug("catalog:organisation", self.slug)


class Person(TimestampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    native_name = models.CharField(
        "native-script name", max_length=200, blank=True, help_text="e.g. 今 敏"
    )
    alternative_names = models.TextField(blank=True, help_text="One per line.")
    bio = models.TextField("short bio", blank=True)
    image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    links = models.TextField(
        blank=True, help_text="Web addresses about this person, one per line (sameAs)."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        # The index page's order, read by keyset (core.keyset).
        indexes = [models.Index(fields=["name", "id"], name="person_by_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_with_slug("catalog:person", self.slug)

    @property
    def alternative_name_list(self) -> list[str]:
        return split_lines(self.alternative_names)

    @property
    def link_list(self) -> list[str]:
        return split_lines(self.links)


class Work(TimestampedModel):
    class Kind(models.TextChoices):
        FILM = "film", _("Film")
        ANIME_FILM = "anime_film", _("Anime film")
        TV_SERIES = "tv_series", _("TV series")
        EPISODE = "episode", _("Episode")
        SEGMENT = "segment", _("Segment")
        SHORT = "short", _("Short film")
        MANGA = "manga", _("Manga")
        NOVEL = "novel", _("Novel")
        SHORT_STORY = "short_story", _("Short story")
        BOOK = "book", _("Book")
        GAME = "game", _("Game")
        ALBUM = "album", _("Album")
        OTHER = "other", _("Other")

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    original_title = models.CharField(max_length=300, blank=True)
    alternative_titles = models.TextField(blank=True, help_text="One per line.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FILM)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    runtime = models.PositiveSmallIntegerField(
        "runtime (minutes)", null=True, blank=True
    )
    country = models.CharField(max_length=100, blank=True)
    synopsis = models.TextField(blank=True, help_text="In the site's own words.")
    image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="parts",
        on_delete=models.PROTECT,
        help_text="The anthology, series or collection this is part of.",
    )
    part_order = models.PositiveSmallIntegerField(
        default=0, help_text="Position among the parent's parts."
    )

    class Meta:
        ordering = ["title", "year"]
        indexes = [
            models.Index(fields=["parent", "part_order"]),
            # The works index and the desk's list of works, by title: their
            # first page reads thirty index entries, not every work sorted.
            models.Index(fields=["title", "year", "id"], name="work_by_title"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def get_absolute_url(self) -> str:
        return reverse_with_slug("catalog:work", self.slug)

    @property
    def alternative_title_list(self) -> list[str]:
        return split_lines(self.alternative_titles)

    def clean(self) -> None:
        super().clean()
        check_parent(self, self.parent)


class Credit(models.Model):
    """One person or organisation, in one role, on one work."""

    work = models.ForeignKey(Work, related_name="credits", on_delete=models.CASCADE)
    person = models.ForeignKey(
        Person, null=True, blank=True, related_name="credits", on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        related_name="credits",
        on_delete=models.CASCADE,
    )
    role = models.ForeignKey(Role, related_name="credits", on_delete=models.PROTECT)
    character_name = models.CharField(max_length=200, blank=True)
    applies_to_parts = models.BooleanField(
        default=False,
        help_text="Also show this credit on every part (segment, episode) of the work.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role__sort_order", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organisation__isnull=True))
                | (Q(person__isnull=True) & Q(organisation__isnull=False)),
                name="credit_person_xor_organisation",
            ),
            models.UniqueConstraint(
                fields=["work", "person", "role", "character_name"],
                condition=Q(person__isnull=False),
                name="unique_person_credit",
            ),
            models.UniqueConstraint(
                fields=["work", "organisation", "role"],
                condition=Q(organisation__isnull=False),
                name="unique_organisation_credit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credited_name}, {self.role} of {self.work}"

    @property
    def credited(self) -> Person | Organisation | None:
        return self.person or self.organisation

    @property
    def credited_name(self) -> str:
        credited = self.credited
        return str(credited) if credited else "(nobody)"

    def clean(self) -> None:
        super().clean()
        if bool(self.person_id) == bool(self.organisation_id):
            raise ValidationError("A credit names either a person or an organisation.")


class Release(models.Model):
    class Format(models.TextChoices):
        THEATRICAL = "theatrical", _("Theatrical")
        VHS = "vhs", "VHS"
        LASERDISC = "laserdisc", "LaserDisc"
        DVD = "dvd", "DVD"
        BLURAY = "bluray", "Blu-ray"
        UHD = "uhd", "4K UHD"
        STREAMING = "streaming", _("Streaming")
        TV = "tv", _("Television")
        PRINT = "print", _("Print")
        DIGITAL = "digital", _("Digital")
        OTHER = "other", _("Other")

    work = models.ForeignKey(Work, related_name="releases", on_delete=models.CASCADE)
    format = models.CharField(max_length=12, choices=Format.choices)
    region = models.CharField(max_length=50, blank=True, help_text="e.g. Japan, UK, B")
    edition = models.CharField("edition name", max_length=200, blank=True)
    distributor = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        related_name="releases",
        on_delete=models.SET_NULL,
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(
        null=True, blank=True, help_text="When the full date is known."
    )
    aspect_ratio = models.CharField(max_length=50, blank=True, help_text="e.g. 1.85:1")
    audio_languages = models.CharField(max_length=200, blank=True)
    subtitle_languages = models.CharField(max_length=200, blank=True)
    in_print = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    class Meta:
        # Undated releases last: they are usually the ones still to be checked.
        ordering = [models.F("year").asc(nulls_last=True), "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "format", "region", "edition"], name="unique_release"
            )
        ]

    def __str__(self) -> str:
        parts = [self.get_format_display(), self.region, self.edition]
        return f"{self.work}: " + ", ".join(p for p in parts if p)

    @property
    def when(self) -> str:
        if self.date:
            return self.date.isoformat()
        return str(self.year) if self.year else ""

    def clean(self) -> None:
        super().clean()
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"year": _("The year does not match the full date.")})
        if self.date and not self.year:
            self.year = self.date.year


class WorkRelation(models.Model):
    """A directed link between two works, read as “<source> is <kind> <target>”."""

    class Kind(models.TextChoices):
        ADAPTATION_OF = "adaptation_of", _("adaptation of")
        BASED_ON = "based_on", _("based on")
        SEQUEL_OF = "sequel_of", _("sequel to")
        PREQUEL_OF = "prequel_of", _("prequel to")
        REMAKE_OF = "remake_of", _("remake of")
        PART_OF = "part_of", _("part of")
        INSPIRED_BY = "inspired_by", _("inspired by")
        SEE_ALSO = "see_also", _("see also")

    # How the relation reads from the target's page.
    INVERSE_LABELS = {
        "adaptation_of": _("adapted as"),
        "based_on": _("basis of"),
        "sequel_of": _("followed by"),
        "prequel_of": _("preceded by"),
        "remake_of": _("remade as"),
        "part_of": _("includes"),
        "inspired_by": _("inspired"),
        "see_also": _("see also"),
    }

    source = models.ForeignKey(
        Work, related_name="relations_out", on_delete=models.CASCADE
    )
    target = models.ForeignKey(
        Work, related_name="relations_in", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="unique_work_relation"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.get_kind_display()} — {self.target}"

    def clean(self) -> None:
        super().clean()
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError("A work cannot be related to itself.")


class PostWork(models.Model):
    """A post is about a work; one per post is primary, optionally rated."""

    post = models.ForeignKey(
        "posts.Post", related_name="catalog_works", on_delete=models.CASCADE
    )
    work = models.ForeignKey(Work, related_name="post_links", on_delete=models.CASCADE)
    is_primary = models.BooleanField("primary", default=False)
    rating = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    contains_spoilers = models.BooleanField(
        default=False, help_text="Readers see a warning at the top of the post."
    )

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = "work this post is about"
        verbose_name_plural = "works this post is about"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "work"], name="post_about_work_once"
            ),
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(is_primary=True),
                name="one_primary_work_per_post",
            ),
        ]
        # A work page lists its posts from the work's side (core.keyset).
        indexes = [models.Index(fields=["work", "post"], name="post_work_by_work")]

    def __str__(self) -> str:
        return f"{self.post} → {self.work}"

    def clean(self) -> None:
        super().clean()
        check_rating(self.rating)


class PostMention(models.Model):
    """A work or person a post discusses.

    Most are found in the post's inline references and kept in step with its
    Markdown on every save (``from_reference``); the writer can also add
    some by hand in the editor, and those are left alone by the sync.
    """

    post = models.ForeignKey(
        "posts.Post", related_name="catalog_mentions", on_delete=models.CASCADE
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, related_name="mentions", on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, related_name="mentions", on_delete=models.CASCADE
    )
    from_reference = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = "person or work discussed"
        verbose_name_plural = "people and works discussed"
        constraints = [
            models.CheckConstraint(
                condition=(Q(work__isnull=False) & Q(person__isnull=True))
                | (Q(work__isnull=True) & Q(person__isnull=False)),
                name="mention_work_xor_person",
            ),
            models.UniqueConstraint(
                fields=["post", "work"],
                condition=Q(work__isnull=False),
                name="unique_work_mention",
            ),
            models.UniqueConstraint(
                fields=["post", "person"],
                condition=Q(person__isnull=False),
                name="unique_person_mention",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} mentions {self.work or self.person}"

    def clean(self) -> None:
        super().clean()
        if bool(self.work_id) == bool(self.person_id):
            raise ValidationError(_("Choose either a person or a work."))
