"""Changing the catalog: the rules every writer of catalog data goes through.

The admin, the importers, the demo loader and the tests call these functions,
so a parent cycle or a rating off the site's scale is refused the same way
wherever it comes from, and every change tells the page cache
(``posts.signals.content_changed``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from afterword.core.iterables import batched
from afterword.posts.models import Post
from afterword.posts.signals import content_changed

from .models import Person, PostMention, PostWork, Work

# Parents deeper than this are almost certainly a mistake (or a cycle that
# slipped past); walking stops here so a bad row can never loop forever.
MAX_PARENT_DEPTH = 32


def rating_scale() -> int:
    """The site's rating scale: 5 (stars), 10, or 0 (no ratings)."""
    return int(getattr(settings, "AFTERWORD_RATING_SCALE", 5))


def check_rating(rating) -> Decimal | None:
    """Return the rating as a Decimal, or raise a ValidationError naming the scale.

    Ratings go from 0 to the scale in steps of one half.
    """
    if rating in (None, ""):
        return None
    scale = rating_scale()
    if scale == 0:
        raise ValidationError(
            {"rating": "This site does not use ratings (AFTERWORD_RATING_SCALE is 0)."}
        )
    try:
        value = Decimal(str(rating))
    except InvalidOperation:
        raise ValidationError({"rating": f"“{rating}” is not a number."}) from None
    if not Decimal(0) <= value <= Decimal(scale):
        raise ValidationError(
            {"rating": f"A rating must be between 0 and {scale}; {value} is not."}
        )
    if (value * 2) % 1:
        raise ValidationError({"rating": "Ratings go in steps of 0.5."})
    return value


def check_parent(work: Work, parent: Work | None) -> None:
    """Refuse a parent that is the work itself or one of its own descendants."""
    if parent is None:
        return
    if work.pk and parent.pk == work.pk:
        raise ValidationError({"parent": "A work cannot be its own parent."})
    seen = set()
    current = parent
    depth = 0
    while current is not None:
        if work.pk and current.pk == work.pk:
            raise ValidationError(
                {
                    "parent": f"“{parent}” is already a part of “{work}” "
                    "(directly or further down), so it cannot also be its parent."
                }
            )
        if current.pk in seen or depth > MAX_PARENT_DEPTH:
            raise ValidationError({"parent": "The chain of parents loops."})
        seen.add(current.pk)
        depth += 1
        current = (
            Work.objects.filter(pk=current.parent_id).first()
            if current.parent_id
            else None
        )


def announce(instance) -> None:
    """Tell the page cache (and anyone else listening) that readers' pages changed."""
    transaction.on_commit(
        lambda: content_changed.send(sender=type(instance), instance=instance)
    )


@transaction.atomic
def save_catalog_object(instance):
    """Validate and save a work, person, organisation, credit, release or relation."""
    instance.full_clean()
    instance.save()
    announce(instance)
    return instance


@transaction.atomic
def link_post_to_work(
    post: Post,
    work: Work,
    *,
    primary: bool = False,
    rating=None,
    contains_spoilers: bool = False,
) -> PostWork:
    """Say a post is about a work (creating or updating the link)."""
    value = check_rating(rating)
    if primary:
        PostWork.objects.filter(post=post, is_primary=True).exclude(work=work).update(
            is_primary=False
        )
    link, _ = PostWork.objects.update_or_create(
        post=post,
        work=work,
        defaults={
            "is_primary": primary,
            "rating": value,
            "contains_spoilers": contains_spoilers,
        },
    )
    announce(work)
    return link


_REF_ANCHOR = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(data-ref-kind|data-ref-slug)="([^"]*)"')


def references_in_html(html: str) -> list[tuple[str, str]]:
    """The (kind, slug) pairs of resolved inline references in rendered HTML.

    Mentions are read back from the stored HTML rather than from the Markdown
    so that what is recorded is exactly what readers see linked.
    """
    found = []
    for tag in _REF_ANCHOR.findall(html or ""):
        attrs = dict(_ATTR.findall(tag))
        if "data-ref-kind" in attrs and "data-ref-slug" in attrs:
            pair = (attrs["data-ref-kind"], attrs["data-ref-slug"])
            if pair not in found:
                found.append(pair)
    return found


@transaction.atomic
def sync_mentions(post: Post) -> None:
    """Make the post's mentions match the references in its rendered body."""
    _sync_mentions({post.pk: post.body_html})


def sync_mentions_many(post_ids: Iterable[int]) -> None:
    """:func:`sync_mentions` for many posts, by id, a chunk at a time.

    The same result as one call per post, with a handful of queries per chunk
    rather than per post (an import saves thousands). Posts deleted since are
    skipped.
    """
    for chunk in batched(post_ids, MENTION_CHUNK):
        with transaction.atomic():
            _sync_mentions(
                dict(Post.objects.filter(pk__in=chunk).values_list("pk", "body_html"))
            )


MENTION_CHUNK = 500


def _sync_mentions(html_by_post: dict[int, str]) -> None:
    refs = {pk: references_in_html(html) for pk, html in html_by_post.items()}
    slugs = {"work": set(), "person": set()}
    for found in refs.values():
        for kind, slug in found:
            if kind in slugs:
                slugs[kind].add(slug)
    # Empty lookups cost no query: most posts reference nothing.
    work_ids = dict(
        Work.objects.filter(slug__in=slugs["work"]).values_list("slug", "id")
    )
    person_ids = dict(
        Person.objects.filter(slug__in=slugs["person"]).values_list("slug", "id")
    )
    existing: dict[int, list[PostMention]] = defaultdict(list)
    for mention in PostMention.objects.filter(post_id__in=list(refs)):
        existing[mention.post_id].append(mention)
    stale: list[int] = []
    new: list[PostMention] = []
    for pk, found in refs.items():
        works = {work_ids[s] for k, s in found if k == "work" and s in work_ids}
        people = {person_ids[s] for k, s in found if k == "person" and s in person_ids}
        mentions = existing.get(pk, [])
        have_works = {m.work_id for m in mentions if m.work_id}
        have_people = {m.person_id for m in mentions if m.person_id}
        # Mentions the writer added by hand are kept whatever the Markdown says.
        stale += [
            m.pk
            for m in mentions
            if m.from_reference
            and (
                (m.work_id and m.work_id not in works)
                or (m.person_id and m.person_id not in people)
            )
        ]
        new += [
            PostMention(post_id=pk, work_id=i, from_reference=True)
            for i in works - have_works
        ]
        new += [
            PostMention(post_id=pk, person_id=i, from_reference=True)
            for i in people - have_people
        ]
    if stale:
        PostMention.objects.filter(pk__in=stale).delete()
    PostMention.objects.bulk_create(new)


def on_content_changed(sender, instance, **kwargs) -> None:
    """Receiver: when a post is saved, refresh what it mentions."""
    # A deleted post announces itself too; it has nothing left to sync.
    if (
        sender is Post
        and isinstance(instance, Post)
        and instance.pk
        and Post.objects.filter(pk=instance.pk).exists()
    ):
        sync_mentions(instance)


def on_posts_changed(sender, post_ids, **kwargs) -> None:
    """Receiver: a batch of posts was saved together (an import)."""
    sync_mentions_many(post_ids)
