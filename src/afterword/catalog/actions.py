"""Every change to the catalog, as named actions.

The admin (forms and inlines), the catalog importers, the demo loader and
the tests call these, so a parent cycle or a rating off the site's scale is
refused the same way wherever it comes from. What pages show follows from
the declared models (``catalog.apps``); no action needs to tell the page
cache.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from afterword.core import changes
from afterword.core.actions import Action, DeleteObject, SaveObject
from afterword.core.iterables import batched
from afterword.posts.models import Post

from .models import Person, PostMention, PostWork, Work
from .references import references_in_html
from .rules import check_rating


class SaveCatalogObject(SaveObject):
    """Validate and save a work, person, organisation, role, credit, release,
    relation, or a post's link to a work or mention."""

    name = "catalog.save"


class DeleteCatalogObject(DeleteObject):
    name = "catalog.delete"


class LinkPostToWork(Action):
    """Say a post is about a work (creating or updating the link).

    ``primary`` moves the post's primary mark to this work.
    """

    name = "catalog.link_post_to_work"
    permission = "catalog.change_postwork"

    def __init__(
        self,
        post: Post,
        work: Work,
        *,
        primary: bool = False,
        rating=None,
        contains_spoilers: bool = False,
        user=None,
    ):
        super().__init__(user=user)
        self.post, self.work = post, work
        self.primary, self.contains_spoilers = primary, contains_spoilers
        self.rating = rating

    def check(self) -> None:
        super().check()
        self.value = check_rating(self.rating)

    def execute(self) -> PostWork:
        if self.primary:
            for other in PostWork.objects.filter(
                post=self.post, is_primary=True
            ).exclude(work=self.work):
                other.is_primary = False
                other.save(update_fields=["is_primary"])
        link, _ = PostWork.objects.update_or_create(
            post=self.post,
            work=self.work,
            defaults={
                "is_primary": self.primary,
                "rating": self.value,
                "contains_spoilers": self.contains_spoilers,
            },
        )
        return link


def link_post_to_work(post: Post, work: Work, **kwargs) -> PostWork:
    return LinkPostToWork(post, work, **kwargs).run()


def save_catalog_object(instance, *, user=None):
    return SaveCatalogObject(instance, user=user).run()


class SyncMentions(Action):
    """Make posts' mentions match the references in their rendered bodies.

    Run after posts are saved (``catalog.apps`` subscribes it to post
    changes), a chunk of posts at a time: a handful of queries per chunk
    rather than per post, since an import saves thousands. Mentions the writer
    added by hand are kept whatever the Markdown says; deleted posts are
    skipped.
    """

    name = "catalog.sync_mentions"

    def __init__(self, post_ids: Iterable[int]):
        super().__init__(user=None)
        self.post_ids = list(post_ids)

    def run(self) -> None:
        # One transaction per chunk: a whole import's mentions need not be
        # held in one.
        for chunk in batched(self.post_ids, MENTION_CHUNK):
            SyncMentionChunk(chunk).run()


MENTION_CHUNK = 500


class SyncMentionChunk(Action):
    name = "catalog.sync_mention_chunk"

    def __init__(self, post_ids: list[int]):
        super().__init__(user=None)
        self.post_ids = post_ids

    def execute(self) -> None:
        html_by_post = dict(
            Post.objects.filter(pk__in=self.post_ids).values_list("pk", "body_html")
        )
        refs = {pk: references_in_html(html) for pk, html in html_by_post.items()}
        slugs: dict[str, set[str]] = {"work": set(), "person": set()}
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
        stale: list[PostMention] = []
        new: list[PostMention] = []
        for pk, found in refs.items():
            works = {work_ids[s] for k, s in found if k == "work" and s in work_ids}
            people = {
                person_ids[s] for k, s in found if k == "person" and s in person_ids
            }
            mentions = existing.get(pk, [])
            have_works = {m.work_id for m in mentions if m.work_id}
            have_people = {m.person_id for m in mentions if m.person_id}
            stale += [
                m
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
            PostMention.objects.filter(pk__in=[m.pk for m in stale]).delete()
        # bulk_create sends no model signals: report the new rows ourselves.
        changes.record(PostMention, [], instances=PostMention.objects.bulk_create(new))


def sync_mentions(post: Post) -> None:
    SyncMentions([post.pk]).run()


def on_public_changes(changed: changes.ChangeSet) -> None:
    """Subscriber: saved posts' references may name other works and people."""
    post_ids = changed.pks(Post)
    if post_ids:
        SyncMentions(sorted(post_ids)).run()
