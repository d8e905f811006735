"""“If you liked this”: related works ranked from the catalog itself.

Scoring (also in docs/catalog.md). For a work W (with its parts), every
other work X collects points:

* +5 for each explicit relation between W and X, either direction
  (sequel, adaptation, see also...);
* +3 for each person who has a key role on W and a key role on X
  (key roles are flagged on the Role: director, original creator,
  screenplay, music, character design...);
* +1 for each organisation in a key role on both (the animation studio);
* +1 for each tag shared by live posts about W and live posts about X,
  at most +3 in all, so a popular tag cannot drown the catalog signals.
  Only W's eight most used tags count, and only the 1,000 most recent posts
  carrying any of them, so the cost does not grow with the site.

W's own parts and parent are left out (the page lists them already). Ties
go to the more recent work, then by title. Each suggestion keeps the
reasons that earned its points, shown on the page (“also directed by
Satoshi Kon”).

Ten queries, whatever the size of the catalog.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from afterword.core import memo
from afterword.core.qmatch import matches
from afterword.posts.models import Post, listed_condition

from .models import Credit, PostWork, Work, WorkRelation
from .queries import listed_through

RELATION_POINTS = 5
PERSON_POINTS = 3
ORGANISATION_POINTS = 1
TAG_POINTS = 1
TAG_CAP = 3
SHOWN = 6
# The tags weighed: those most of W's posts carry. The posts read for them:
# the most recent with any of those tags.
TAGS_CONSIDERED = 8
TAGGED_POSTS_SAMPLED = 1000


# What the listing rule reads of a post (``posts.models.listed_condition``).
_ListedFacts = namedtuple("_ListedFacts", "pk kind status published_at visibility")


@dataclass
class Suggestion:
    work: Work
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def _see_also(title: str) -> str:
    return _("see also %(title)s") % {"title": title}


def _related_to_it(title: str, relation: str) -> str:
    return _("%(title)s is %(relation)s it") % {"title": title, "relation": relation}


def _related(relation: str, title: str) -> str:
    return f"{relation} {title}"


def _shared_tags(names: list[str]) -> str:
    return _("posts share the tags %(tags)s") % {"tags": ", ".join(sorted(names))}


def _also(role_name: str, name: str) -> str:
    # Keyed by the roles the site starts with (their names are content).
    sentences = {
        "Director": _("also directed by %(name)s"),
        "Screenplay": _("also written by %(name)s"),
        "Author": _("also written by %(name)s"),
        "Original creator": _("also created by %(name)s"),
        "Music": _("also music by %(name)s"),
        "Character design": _("also character design by %(name)s"),
        "Animation studio": _("also animated by %(name)s"),
    }
    if role_name in sentences:
        return sentences[role_name] % {"name": name}
    return _("also %(role)s: %(name)s") % {"role": role_name.lower(), "name": name}


def suggestions(work: Work, limit: int = SHOWN) -> list[Suggestion]:
    """The works most like ``work``, best first, each with its reasons.

    They depend on the catalog and the posts only, so they are worked out
    once per content version (``core.memo``), in each language.
    """
    return memo.remember(
        f"work-suggestions:{work.pk}:{limit}:{get_language()}",
        partial(_suggestions, work, limit),
    )


def _suggestions(work: Work, limit: int) -> list[Suggestion]:
    # Unordered: by the works' default order (title, year), SQLite walked the
    # whole catalog's title index looking for the parts (25-60 ms at 20,000
    # works) instead of reading them from the index on their parent.
    parts = Work.objects.filter(parent=work).order_by().values_list("pk", flat=True)
    own = [work.pk, *parts]
    excluded = set(own) | ({work.parent_id} if work.parent_id else set())
    scores: dict[int, int] = defaultdict(int)
    # Each reason is worded only if its work is shown: a prolific director
    # gives a thousand candidates, and translating each one's cost more
    # than finding them.
    reasons: dict[int, list[Callable[[], str]]] = defaultdict(list)

    relations = WorkRelation.objects.filter(
        Q(source_id__in=own) | Q(target_id__in=own)
    ).select_related("source", "target")
    for rel in relations:
        mine, other = (
            (rel.source, rel.target_id)
            if rel.source_id in own
            else (rel.target, rel.source_id)
        )
        if other in excluded:
            continue
        scores[other] += RELATION_POINTS
        # Said from the suggested work's side: “sequel to Memories”.
        if rel.kind == WorkRelation.Kind.SEE_ALSO:
            reasons[other].append(partial(_see_also, mine.title))
        elif rel.source_id in own:
            reasons[other].append(
                partial(_related_to_it, mine.title, rel.get_kind_display())
            )
        else:
            reasons[other].append(partial(_related, rel.get_kind_display(), mine.title))

    key = Credit.objects.filter(work_id__in=own, role__is_key=True)
    pairs = list(key.values_list("person_id", "organisation_id"))
    people = {person for person, _ in pairs if person}
    orgs = {org for _, org in pairs if org}
    seen: set[tuple[int, int | None, int | None]] = set()
    # Plain tuples, not model instances: a prolific director brings hundreds.
    shared = (
        Credit.objects.filter(
            Q(person_id__in=people) | Q(organisation_id__in=orgs), role__is_key=True
        )
        .exclude(work_id__in=excluded)
        .order_by("role__sort_order")
        .values_list(
            "work_id",
            "person_id",
            "organisation_id",
            "role__name",
            "person__name",
            "organisation__name",
        )
    )
    for work_id, person_id, org_id, role_name, person_name, org_name in shared:
        marker = (work_id, person_id, org_id)
        if marker in seen:
            continue
        seen.add(marker)
        scores[work_id] += PERSON_POINTS if person_id else ORGANISATION_POINTS
        reasons[work_id].append(partial(_also, role_name, person_name or org_name))

    # Tags: the few that most of W's posts carry, and among the posts with
    # them only the most recent: a tag on 10,000 posts must cost what a tag
    # on ten does, or the page grows with the site (bench/large_site.py).
    through = Post.tags.through
    own_posts = PostWork.objects.filter(listed_through(), work_id__in=own)
    tags = dict(
        through.objects.filter(post_id__in=own_posts.values("post_id"))
        .values("tag_id")
        .annotate(uses=Count("post_id"))
        .order_by("-uses", "tag_id")
        .values_list("tag_id", "tag__name")[:TAGS_CONSIDERED]
    )
    if tags:
        # The newest posts with them, then which of those are listed: by
        # their keys, the rule evaluated here (asked in SQL, SQLite's
        # planner walked every listed post's index entry instead).
        sample = list(
            through.objects.filter(tag_id__in=tags)
            .order_by("-post_id")
            .values_list("post_id", "tag_id")[:TAGGED_POSTS_SAMPLED]
        )
        # Read as tuples and held to one rule made once: a model instance
        # and a fresh rule for each of a thousand rows were a third of it.
        rule = listed_condition()
        listed = {
            row.pk
            for row in map(
                _ListedFacts._make,
                Post.objects.filter(pk__in={post_id for post_id, _ in sample})
                .order_by()
                .values_list(*_ListedFacts._fields),
            )
            if row.kind == Post.Kind.POST and matches(row, rule)
        }
        post_tags: dict[int, set[int]] = defaultdict(set)
        for post_id, tag_id in sample:
            if post_id in listed:
                post_tags[post_id].add(tag_id)
        work_tags: dict[int, set[int]] = defaultdict(set)
        for post_id, work_id in PostWork.objects.filter(
            post_id__in=list(post_tags)
        ).values_list("post_id", "work_id"):
            if work_id not in excluded:
                work_tags[work_id] |= post_tags[post_id]
        for work_id, tag_ids in work_tags.items():
            scores[work_id] += min(len(tag_ids), TAG_CAP) * TAG_POINTS
            names = [tags[t] for t in tag_ids]
            reasons[work_id].append(partial(_shared_tags, names))

    if not scores:
        return []
    # Rank on (score, year, title) read as tuples, then load only the winners.
    facts = Work.objects.filter(pk__in=list(scores)).values_list("pk", "year", "title")
    ranked = sorted(facts, key=lambda f: (-scores[f[0]], -(f[1] or 0), f[2]))[:limit]
    works = Work.objects.in_bulk([pk for pk, _, _ in ranked])
    return [
        Suggestion(works[pk], scores[pk], [say() for say in reasons[pk]])
        for pk, _, _ in ranked
    ]
