"""What the catalog pages show, fetched in a fixed number of queries.

Every function here costs the same number of queries whatever the size of
the work or person: related rows come in with ``select_related`` or one
query per kind, and long lists of posts are paginated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from afterword.core import keyset, memo
from afterword.core.keyset import KeysetPaginator
from afterword.posts.linked import few, linked_posts
from afterword.posts.models import Post, listed_condition, through_relation

from .models import (
    Credit,
    Organisation,
    Person,
    PostMention,
    PostWork,
    Role,
    Work,
    WorkRelation,
)

# Posts listed per page on a work or person page.
POSTS_PER_PAGE = 20
# Posts that only mention a work (not about it) are listed up to this many.
MENTIONS_SHOWN = 20
# What a work page's list of posts does not print.
# A post's texts, which a list of titles never shows.
POST_TEXTS = (
    "body",
    "body_html",
    "excerpt",
    "summary",
    "lead_figure_html",
    "feed_html",
)
LINK_TEXTS_UNSHOWN = (
    *(f"post__{name}" for name in POST_TEXTS),
    "work__alternative_titles",
    "work__synopsis",
)


def listed_through(path: str = "post") -> Q:
    """Rows whose post (at ``path``) is listed and not a page:
    ``listed_condition``, checked through the join.

    ``post_id__in=<the listed posts>`` made SQLite build the list of every
    listed post before reading a work's links: 100,000 ids on every work
    page of a large site.
    """
    return through_relation(Q(kind=Post.Kind.POST) & listed_condition(), path)


@dataclass
class CreditGroup:
    role: Role
    credits: list[Credit] = field(default_factory=list)


@dataclass
class RatingSummary:
    work: Work
    average: Decimal | None
    count: int


def group_credits(credits) -> list[CreditGroup]:
    """Credits grouped by role, roles in their curated order."""
    groups: dict[int, CreditGroup] = {}
    for credit in credits:
        groups.setdefault(credit.role_id, CreditGroup(credit.role)).credits.append(
            credit
        )
    return sorted(groups.values(), key=lambda g: (g.role.sort_order, g.role.name))


def _credits(qs: QuerySet) -> QuerySet:
    return qs.select_related("person", "organisation", "role")


def posts_about(work_ids, page_number=1) -> Page:
    """Links from live posts to any of the works, newest first, paginated."""
    links = (
        PostWork.objects.filter(listed_through(), work_id__in=work_ids)
        .select_related("post", "post__author", "work")
        # The rows are sorted whole: without the articles in them, the
        # 2,000 links of a much-reviewed work sort in a third of the time.
        .defer(*LINK_TEXTS_UNSHOWN)
        .order_by("-post__published_at", "-post_id", "work_id")
    )
    # Numbered pages read from their boundaries, not with an OFFSET.
    key = "work-posts:" + ",".join(map(str, sorted(work_ids)))
    return KeysetPaginator(links, POSTS_PER_PAGE, key=key).get_page(page_number)


def _ratings(work_ids: list[int]) -> list[tuple[int, Decimal | None, int]]:
    """(work id, average rating, number of ratings) from listed posts; read
    once per content version: a much-reviewed work's are thousands of rows."""
    return list(
        PostWork.objects.filter(
            listed_through(), work_id__in=work_ids, rating__isnull=False
        )
        .values("work_id")
        .annotate(average=Avg("rating"), count=Count("id"))
        .order_by()
        .values_list("work_id", "average", "count")
    )


def work_page(work: Work, page_number=1) -> dict:
    """Everything the work page shows.

    All but the page of posts depends on content only, and is read once per
    content version (``core.memo``): eight queries of a much-reviewed work.
    The page of posts is read when the template asks for it, which a page
    whose fragment is kept never does.
    """
    facts = memo.remember(
        f"work-page:{work.pk}:{get_language()}", partial(_work_facts, work)
    )
    post_links, number = keyset.page_when_used(
        partial(posts_about, facts["family"], page_number), page_number
    )
    return {
        **facts,
        "post_links": post_links,
        "page_number": number,
        "rating_scale": int(getattr(settings, "AFTERWORD_RATING_SCALE", 5)),
    }


def _work_facts(work: Work) -> dict:
    parts = list(
        Work.objects.filter(parent=work)
        .order_by("part_order", "year", "title")
        .prefetch_related(Prefetch("credits", queryset=_credits(Credit.objects.all())))
    )
    for part in parts:
        part.credit_groups = group_credits(part.credits.all())
    inherited = []
    if work.parent_id:
        inherited = list(
            _credits(
                Credit.objects.filter(work_id=work.parent_id, applies_to_parts=True)
            )
        )
    own = list(_credits(work.credits.all()))
    releases = list(work.releases.select_related("distributor"))
    relations = []
    for rel in WorkRelation.objects.filter(
        Q(source=work) | Q(target=work)
    ).select_related("source", "target"):
        if rel.source_id == work.pk:
            relations.append((rel.get_kind_display(), rel.target, rel.note))
        else:
            relations.append(
                (WorkRelation.INVERSE_LABELS[rel.kind], rel.source, rel.note)
            )
    family = [work.pk] + [p.pk for p in parts]
    by_id = {w.pk: w for w in [work, *parts]}
    summaries = [
        RatingSummary(by_id[work_id], average, count)
        for work_id, average, count in memo.remember(
            "work-ratings:" + ",".join(map(str, family)), partial(_ratings, family)
        )
    ]
    summaries.sort(key=lambda s: family.index(s.work.pk))
    mentions = list(
        PostMention.objects.filter(listed_through(), work=work)
        .exclude(post__catalog_works__work_id__in=family)
        .select_related("post", "post__author")
        .order_by("-post__published_at")[:MENTIONS_SHOWN]
    )
    return {
        "work": work,
        "family": family,
        "parts": parts,
        "credit_groups": group_credits(own),
        "inherited_groups": group_credits(inherited),
        "releases": releases,
        "relations": relations,
        "rating_summaries": summaries,
        "mentions": mentions,
        "people": people_by_role([work.pk])[work.pk],
    }


@dataclass
class RoleWorks:
    role: Role
    credits: list[Credit]


def person_post_filter(person: Person) -> Q:
    """Posts about a work the person is credited on, or mentioning them.

    A credit on a parent marked “applies to parts” counts for posts about
    the parts too: a review of one segment is a review of the work of the
    anthology's original creator.
    """
    about = PostWork.objects.filter(work_id__in=_person_works(person))
    mentioned = PostMention.objects.filter(person=person)
    # One list of ids (a UNION): with an OR of two, PostgreSQL walked every
    # post testing each against both (36 ms at 100,000 posts) instead of
    # looking up the few it names.
    return Q(
        pk__in=about.order_by()
        .values("post_id")
        .union(mentioned.order_by().values("post_id"))
    )


def person_post_check(person: Person) -> Q:
    """:func:`person_post_filter`, checked post by post.

    For the newest few (a feed): walking the posts' listing index newest
    first and checking each stops at the twentieth, where gathering every
    post about a thousand works and sorting them read 7,000 whole rows.
    """
    # Each of the post's links, checked against the person's credits: a list
    # of their works instead made SQLite probe the links once per work.
    credited = Credit.objects.filter(person=person, work_id=OuterRef("work_id"))
    on_parent = Credit.objects.filter(
        person=person, applies_to_parts=True, work_id=OuterRef("work__parent_id")
    )
    about = PostWork.objects.filter(post_id=OuterRef("pk")).filter(
        Q(Exists(credited)) | Q(Exists(on_parent))
    )
    mentioned = PostMention.objects.filter(post_id=OuterRef("pk"), person=person)
    return Q(Exists(about)) | Q(Exists(mentioned))


def work_feed_condition(work: Work) -> Q:
    """Posts about ``work`` or any of its parts, for its feed's newest few:
    gathered or checked post by post, as their number suits (``posts.linked``)."""
    # The work and its parts as a list: with "the work, or a part of it" in
    # one condition SQLite read every work to find the parts' links.
    parts = Work.objects.filter(parent=work).order_by().values_list("pk", flat=True)
    return linked_posts(PostWork.objects.filter(work_id__in=[work.pk, *parts]))


def person_feed_condition(person: Person) -> Q:
    """:func:`person_post_filter` for the person's feed's newest few:
    gathered, or checked post by post through the credits
    (:func:`person_post_check`) for a person with many (``posts.linked``)."""
    about = PostWork.objects.filter(work_id__in=_person_works(person))
    mentioned = PostMention.objects.filter(person=person)
    if few(about) and few(mentioned):
        return person_post_filter(person)
    return person_post_check(person)


def _person_works(person: Person) -> QuerySet:
    """The works the person is credited on, and the parts of those whose
    credit applies to their parts."""
    credited = Credit.objects.filter(person=person)
    # The works as one list (a UNION), then their links: with an OR of two
    # conditions PostgreSQL expected most works to qualify and joined every
    # link to every work (27 ms at 100,000 posts) instead of looking up the
    # links of the person's thousand works (3 ms).
    parts = Work.objects.filter(
        parent_id__in=credited.filter(applies_to_parts=True).values("work_id")
    )
    return credited.order_by().values("work_id").union(parts.order_by().values("pk"))


def person_posts(person: Person) -> QuerySet:
    """The live posts of :func:`person_post_filter`, newest first, with their works."""
    return (
        Post.objects.posts()
        .listed()
        .filter(person_post_filter(person))
        .select_related("author")
        .prefetch_related(
            Prefetch("catalog_works", queryset=PostWork.objects.select_related("work"))
        )
        .order_by("-published_at", "-id")
    )


class CreditLine(NamedTuple):
    """One line of a person page: a work they were credited on, in one role."""

    work_slug: str
    work_title: str
    year: int | None
    parent_title: str | None
    character_name: str


@dataclass
class RoleLines:
    role: Role
    lines: list[CreditLine]


def person_page(person: Person, page_number=1) -> dict:
    """Everything the person page shows: works by role, and posts about them.

    The works by role depend on content only and are read once per content
    version (``core.memo``): a thousand credits cost PostgreSQL 20 ms, and
    the page's title and description need them even when its body is a
    kept fragment. The page of posts is read only when the template asks.
    """
    posts, number = keyset.page_when_used(
        partial(_person_posts_page, person, page_number), page_number
    )
    return {
        "person": person,
        "role_groups": memo.remember(
            f"person-roles:{person.pk}", partial(_person_roles, person)
        ),
        "posts": posts,
        "page_number": number,
    }


def _person_posts_page(person: Person, page_number: int) -> Page:
    # The rows are sorted whole (every post about any of the person's
    # works): without their texts, 98 ms -> 53 ms on SQLite for the 7,000
    # posts about a thousand works.
    return KeysetPaginator(
        person_posts(person).defer(*POST_TEXTS),
        POSTS_PER_PAGE,
        key=f"person-posts:{person.pk}",
    ).get_page(page_number)


def _person_roles(person: Person) -> list[RoleLines]:
    """The person's works by role. Credits come as plain tuples rather than
    model instances: a prolific person has hundreds, and building three
    models per row would dominate the page's time."""
    rows = (
        Credit.objects.filter(person=person)
        .order_by("role__sort_order", "role__name", "work__year", "work__title")
        .values_list(
            "role_id",
            "work__slug",
            "work__title",
            "work__year",
            "work__parent__title",
            "character_name",
        )
    )
    groups: dict[int, list[CreditLine]] = {}
    for role_id, *line in rows:
        groups.setdefault(role_id, []).append(CreditLine(*line))
    roles = Role.objects.in_bulk(list(groups))
    return [RoleLines(roles[i], lines) for i, lines in groups.items()]


def organisation_page(org: Organisation) -> dict:
    credits = (
        Credit.objects.filter(organisation=org)
        .select_related("work", "role")
        .order_by("role__sort_order", "work__year", "work__title")
    )
    groups: dict[int, RoleWorks] = {}
    for credit in credits:
        groups.setdefault(credit.role_id, RoleWorks(credit.role, [])).credits.append(
            credit
        )
    releases = list(org.releases.select_related("work").order_by("year", "work__title"))
    return {
        "organisation": org,
        "role_groups": list(groups.values()),
        "releases": releases,
    }


def post_links(post: Post) -> list[PostWork]:
    """The works a post is about (primary first), cached on the post object."""
    cached = getattr(post, "_catalog_links", None)
    if cached is None:
        cached = list(
            PostWork.objects.filter(post=post).select_related("work", "work__parent")
        )
        post._catalog_links = cached
    return cached


def preload_post_links(posts: list[Post]) -> None:
    """``post_links`` of many posts in one query (the static build's pages)."""
    found: dict[int, list[PostWork]] = defaultdict(list)
    for link in PostWork.objects.filter(
        post_id__in=[post.pk for post in posts]
    ).select_related("work", "work__parent"):
        found[link.post_id].append(link)
    for post in posts:
        post._catalog_links = found.get(post.pk, [])


def listing_links(post_ids) -> dict[int, PostWork | None]:
    """Per post, the work a listing names next to it: the primary one, or the
    first; ``None`` for a post about no work. One query for all of them."""
    found: dict[int, PostWork | None] = dict.fromkeys(post_ids)
    for link in PostWork.objects.filter(post_id__in=list(found)).select_related("work"):
        current = found.get(link.post_id)
        if current is None or (link.is_primary and not current.is_primary):
            found[link.post_id] = link
    return found


def people_by_role(work_ids) -> dict[int, dict[str, list]]:
    """For JSON-LD: people and organisations per schema.org property, per work."""
    result: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for credit in _credits(
        Credit.objects.filter(work_id__in=work_ids).exclude(role__jsonld_property="")
    ):
        result[credit.work_id][credit.role.jsonld_property].append(credit.credited)
    return result
