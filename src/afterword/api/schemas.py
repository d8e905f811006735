"""Request and response bodies. Request bodies forbid unknown fields (422)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

SLUG = r"^[-\w]+$"


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------
# Errors


class ErrorDetail(Schema):
    code: str = Field(description="A word a client can switch on.")
    message: str = Field(description="What went wrong, for a person.")
    fields: dict[str, str] = Field(
        description="Per-field messages, by field name (dotted for nested ones)."
    )


class ErrorOut(Schema):
    error: ErrorDetail


# ---------------------------------------------------------------------------
# Terms


class TermRef(Schema):
    id: int
    name: str
    slug: str


class TagOut(TermRef):
    pass


class CategoryOut(TermRef):
    parent: int | None = Field(None, alias="parent_id")
    description: str


class TagIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    slug: str = Field("", max_length=100, pattern=r"^[-\w]*$")


class TagPatch(Strict):
    name: str = Field(None, min_length=1, max_length=100)
    slug: str = Field(None, max_length=100, pattern=SLUG)


class CategoryIn(TagIn):
    parent: int | None = None
    description: str = Field("", max_length=10_000)


class CategoryPatch(TagPatch):
    parent: int | None = None
    description: str = Field(None, max_length=10_000)


class TagPage(Schema):
    items: list[TagOut]
    next: str | None


class CategoryPage(Schema):
    items: list[CategoryOut]
    next: str | None


# ---------------------------------------------------------------------------
# Posts and pages

Status = Literal["draft", "scheduled", "published"]
# What a post may be found in; "trash" only through …/trash and …/restore.
StoredStatus = Literal["draft", "scheduled", "published", "trash"]
Visibility = Literal["public", "unlisted", "private", "password"]


class WorkLinkOut(Schema):
    work: int = Field(alias="work_id")
    title: str
    primary: bool
    rating: float | None
    contains_spoilers: bool

    @staticmethod
    def resolve_title(link) -> str:
        return link.work.title

    @staticmethod
    def resolve_primary(link) -> bool:
        return link.is_primary

    @staticmethod
    def resolve_rating(link) -> float | None:
        return None if link.rating is None else float(link.rating)


class SeriesPlaceOut(Schema):
    series: int = Field(alias="series_id")
    position: int | None


class PostOut(Schema):
    id: int
    kind: Literal["post", "page"]
    title: str
    slug: str
    author: str = Field(description="The author's username.")
    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="The rendered, sanitised HTML.")
    excerpt: str
    summary: str
    status: StoredStatus
    published_at: datetime.datetime | None
    visibility: Visibility
    sticky: bool
    comments_open: bool
    featured_image: int | None = Field(alias="featured_image_id")
    tags: list[TermRef]
    categories: list[TermRef]
    series: SeriesPlaceOut | None
    works: list[WorkLinkOut]
    url: str = Field(description="The address readers find it at (once live).")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_author(post) -> str:
        return post.author.username

    @staticmethod
    def resolve_tags(post) -> list:
        return list(post.tags.all())

    @staticmethod
    def resolve_categories(post) -> list:
        return list(post.categories.all())

    @staticmethod
    def resolve_series(post):
        return getattr(post, "series_part", None)

    @staticmethod
    def resolve_works(post) -> list:
        return list(post.catalog_works.all())

    @staticmethod
    def resolve_url(post) -> str:
        return post.get_absolute_url()


class PostPage(Schema):
    items: list[PostOut]
    next: str | None = Field(description="Cursor of the next page, or null.")


class SeriesPlaceIn(Strict):
    series: int
    position: int | None = Field(None, ge=1, le=100_000)


class WorkLinkIn(Strict):
    work: int
    primary: bool = False
    rating: Decimal | None = Field(None, ge=0, le=99, decimal_places=1)
    contains_spoilers: bool = False


class PageFields(Strict):
    slug: str = Field(None, max_length=200, pattern=SLUG)
    body: str = Field("", max_length=500_000, description="Markdown source.")
    excerpt: str = Field("", max_length=10_000)
    status: Status = "draft"
    published_at: AwareDatetime | None = Field(
        None,
        description=(
            "With its UTC offset. Required when scheduling; must then be in the future."
        ),
    )
    visibility: Visibility = "public"
    password: str = Field("", max_length=100)
    sticky: bool = False
    comments_open: bool = True
    featured_image: int | None = None


class PageIn(PageFields):
    title: str = Field(min_length=1, max_length=300)


class PostIn(PageIn):
    tags: list[str] = Field([], max_length=100, description="Tag names.")
    categories: list[str] = Field([], max_length=100, description="Category slugs.")
    series: SeriesPlaceIn | None = None
    works: list[WorkLinkIn] = Field([], max_length=50)


class PagePatch(PageFields):
    """Only the fields sent change."""

    title: str = Field(None, min_length=1, max_length=300)
    body: str = Field(None, max_length=500_000)
    excerpt: str = Field(None, max_length=10_000)
    status: Status = None
    visibility: Visibility = None
    password: str = Field(None, max_length=100)
    sticky: bool = None
    comments_open: bool = None


class PostPatch(PagePatch):
    tags: list[str] = Field(None, max_length=100)
    categories: list[str] = Field(None, max_length=100)
    series: SeriesPlaceIn | None = None
    works: list[WorkLinkIn] = Field(None, max_length=50)


# ---------------------------------------------------------------------------
# Media


class ImageOut(Schema):
    id: int
    url: str
    title: str
    alt_text: str
    caption: str
    credit: str
    width: int
    height: int
    mime_type: str
    bytes: int
    uploaded_by: str | None
    uploaded_at: datetime.datetime

    @staticmethod
    def resolve_uploaded_by(image) -> str | None:
        return image.uploaded_by.username if image.uploaded_by else None


class ImagePage(Schema):
    items: list[ImageOut]
    next: str | None


class ImagePatch(Strict):
    title: str = Field(None, max_length=200)
    alt_text: str = Field(None, max_length=500)
    caption: str = Field(None, max_length=500)
    credit: str = Field(None, max_length=300)


# ---------------------------------------------------------------------------
# Comments

CommentStatus = Literal["pending", "approved", "spam", "trash"]


class CommentOut(Schema):
    id: int
    post: int = Field(alias="post_id")
    parent: int | None = Field(alias="parent_id")
    depth: int
    author_name: str
    author_email: str
    author_url: str
    body: str
    body_html: str
    status: str
    is_post_author: bool
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class CommentPage(Schema):
    items: list[CommentOut]
    next: str | None


class CommentPatch(Strict):
    status: CommentStatus = Field(None, description="Moves the comment.")
    body: str = Field(None, min_length=1, max_length=50_000)


class ReplyIn(Strict):
    body: str = Field(min_length=1, max_length=50_000)


# ---------------------------------------------------------------------------
# Catalog


class WorkOut(Schema):
    id: int
    title: str
    slug: str
    original_title: str
    kind: str
    year: int | None
    runtime: int | None
    country: str
    synopsis: str
    parent: int | None = Field(alias="parent_id")
    updated_at: datetime.datetime


class WorkPage(Schema):
    items: list[WorkOut]
    next: str | None


class WorkFields(Strict):
    slug: str = Field(None, max_length=200, pattern=SLUG)
    original_title: str = Field(None, max_length=300)
    kind: str = Field(None, max_length=12)
    year: int | None = Field(None, ge=1800, le=3000)
    runtime: int | None = Field(None, ge=1, le=30000)
    country: str = Field(None, max_length=100)
    synopsis: str = Field(None, max_length=50_000)
    parent: int | None = None


class WorkIn(WorkFields):
    title: str = Field(min_length=1, max_length=300)


class WorkPatch(WorkFields):
    title: str = Field(None, min_length=1, max_length=300)


class PersonOut(Schema):
    id: int
    name: str
    slug: str
    native_name: str
    bio: str
    updated_at: datetime.datetime


class PersonPage(Schema):
    items: list[PersonOut]
    next: str | None


class PersonFields(Strict):
    slug: str = Field(None, max_length=200, pattern=SLUG)
    native_name: str = Field(None, max_length=200)
    bio: str = Field(None, max_length=50_000)


class PersonIn(PersonFields):
    name: str = Field(min_length=1, max_length=200)


class PersonPatch(PersonFields):
    name: str = Field(None, min_length=1, max_length=200)


class CreditOut(Schema):
    id: int
    work: int = Field(alias="work_id")
    person: int | None = Field(alias="person_id")
    organisation: int | None = Field(alias="organisation_id")
    role: str
    character_name: str
    sort_order: int

    @staticmethod
    def resolve_role(credit) -> str:
        return credit.role.slug


class CreditList(Schema):
    items: list[CreditOut]


class CreditIn(Strict):
    person: int = Field(description="The person credited.")
    role: str = Field(max_length=100, description="The role's slug.")
    character_name: str = Field("", max_length=200)
    sort_order: int = Field(0, ge=0, le=32767)


class CreditPatch(Strict):
    role: str = Field(None, max_length=100)
    character_name: str = Field(None, max_length=200)
    sort_order: int = Field(None, ge=0, le=32767)


# ---------------------------------------------------------------------------
# Series


class SeriesOut(Schema):
    id: int
    title: str
    slug: str
    description: str = Field(description="Markdown source.")
    description_html: str
    updated_at: datetime.datetime


class SeriesPage(Schema):
    items: list[SeriesOut]
    next: str | None


class SeriesFields(Strict):
    slug: str = Field(None, max_length=200, pattern=SLUG)
    description: str = Field(None, max_length=50_000)


class SeriesIn(SeriesFields):
    title: str = Field(min_length=1, max_length=200)


class SeriesPatch(SeriesFields):
    title: str = Field(None, min_length=1, max_length=200)


class PartOut(Schema):
    id: int
    series: int = Field(alias="series_id")
    position: int | None
    post: int | None = Field(alias="post_id")
    planned_title: str
    expected_date: datetime.date | None


class PartList(Schema):
    items: list[PartOut]


class PartFields(Strict):
    position: int | None = Field(None, ge=1, le=100_000)
    post: int | None = None
    planned_title: str = Field(None, max_length=300)
    expected_date: datetime.date | None = None


class PartIn(PartFields):
    pass


class PartPatch(PartFields):
    pass


# ---------------------------------------------------------------------------
# Followers


class TargetCountOut(Schema):
    target: str
    name: str
    confirmed: int
    pending: int


class FollowerCounts(Schema):
    active: int
    pending: int
    left: int
    immediate: int
    weekly: int
    targets: list[TargetCountOut]


class FollowerOut(Schema):
    id: int
    email: str
    frequency: str
    state: Literal["active", "pending", "left"]
    created_at: datetime.datetime
    confirmed_at: datetime.datetime | None
    unsubscribed_at: datetime.datetime | None
    follows: list[str]

    @staticmethod
    def resolve_state(subscriber) -> str:
        if subscriber.unsubscribed_at:
            return "left"
        return "active" if subscriber.confirmed_at else "pending"

    @staticmethod
    def resolve_follows(subscriber) -> list[str]:
        return [follow.target for follow in subscriber.follows.all()]


class FollowerPage(Schema):
    items: list[FollowerOut]
    next: str | None
