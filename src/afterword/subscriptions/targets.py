"""What can be followed: the whole site, a series, a tag or a category.

A target is stored as a short key (``site``, ``series:3``, ``tag:12``,
``category:4``); this module turns keys into names, pages and feeds, and
tells which keys a post matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from afterword.core.numbers import ascii_number
from afterword.core.urls import cached_reverse
from afterword.posts.models import Category, Post, Tag
from afterword.series.models import Series, SeriesPart

SITE = "site"
KINDS = {"series": Series, "tag": Tag, "category": Category}
# How a post names its terms: tags and categories are offered to readers
# only once a live post is filed under them.
TERM_FIELDS = {Tag: "tags", Category: "categories"}


@dataclass(frozen=True)
class Target:
    key: str
    label: str  # "the whole site", "the series “Memories”"
    name: str
    url: str
    rss: str
    atom: str


def site_target() -> Target:
    return Target(
        key=SITE,
        label=_("everything on %(site)s") % {"site": settings.SITE_NAME},
        name=settings.SITE_NAME,
        url=cached_reverse("posts:home"),
        rss=cached_reverse("feeds:rss"),
        atom=cached_reverse("feeds:atom"),
    )


def key_for(obj) -> str:
    for kind, model in KINDS.items():
        if isinstance(obj, model):
            return f"{kind}:{obj.pk}"
    raise TypeError(f"{obj!r} cannot be followed")


def target_for(obj) -> Target:
    """The target for a series, tag or category object (no query)."""
    if obj is None:
        return site_target()
    if isinstance(obj, Series):
        return Target(
            key_for(obj),
            _("the series “%(title)s”") % {"title": obj.title},
            obj.title,
            obj.get_absolute_url(),
            cached_reverse("series:rss", slug=obj.slug),
            cached_reverse("series:atom", slug=obj.slug),
        )
    kind = "tag" if isinstance(obj, Tag) else "category"
    return Target(
        key_for(obj),
        (_("posts tagged “%(name)s”") if kind == "tag" else _("posts in “%(name)s”"))
        % {"name": obj.name},
        obj.name,
        obj.get_absolute_url(),
        cached_reverse(f"feeds:{kind}-rss", slug=obj.slug),
        cached_reverse(f"feeds:{kind}-atom", slug=obj.slug),
    )


def split(key: str) -> tuple[str, int] | None:
    kind, _colon, number = key.partition(":")
    pk = ascii_number(number)
    if kind in KINDS and pk is not None:
        return kind, pk
    return None


def public(model) -> QuerySet:
    """The rows of ``model`` a reader may be offered to follow.

    A tag or category with no live post is left out: its name may belong to
    a draft or a post scheduled for later (a reader could otherwise read
    every tag's name by trying ``tag:1``, ``tag:2``... in the Follow form).
    Series are public from the start: their page lists planned parts.
    """
    field = TERM_FIELDS.get(model)
    if field is None:
        return model.objects.all()
    live = Post.objects.posts().listed().filter(**{field: OuterRef("pk")})
    return model.objects.filter(Exists(live))


def describe(keys: Iterable[str], *, public_only: bool = False) -> dict[str, Target]:
    """Targets for the keys that still exist (at most one query per kind);
    with ``public_only``, only those :func:`public` offers to readers."""
    keys = set(keys)
    found: dict[str, Target] = {}
    if SITE in keys:
        found[SITE] = site_target()
    wanted: dict[str, list[int]] = {}
    for key in keys:
        parts = split(key)
        if parts:
            wanted.setdefault(parts[0], []).append(parts[1])
    for kind, ids in wanted.items():
        model = KINDS[kind]
        rows = public(model) if public_only else model.objects.all()
        for obj in rows.filter(pk__in=ids):
            found[key_for(obj)] = target_for(obj)
    return found


def resolve(key: str, *, public_only: bool = False) -> Target | None:
    return describe([key], public_only=public_only).get(key)


def every_target() -> list[Target]:
    """Everything a reader may follow, for the preferences page (see
    :func:`public`)."""
    return [
        site_target(),
        *(target_for(s) for s in public(Series)),
        *(target_for(c) for c in public(Category)),
        *(target_for(t) for t in public(Tag)),
    ]


def keys_for_post(post: Post) -> list[str]:
    """Every target whose followers should hear about ``post``."""
    keys = [SITE]
    keys += [f"tag:{pk}" for pk in post.tags.values_list("pk", flat=True)]
    keys += [f"category:{pk}" for pk in post.categories.values_list("pk", flat=True)]
    series_id = (
        SeriesPart.objects.filter(post=post).values_list("series_id", flat=True).first()
    )
    if series_id:
        keys.append(f"series:{series_id}")
    return keys
