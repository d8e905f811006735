"""One press of Save, Publish, Schedule or Unpublish: several actions, one change.

The post is saved by the posts action the button names; its terms, works,
people and series part follow through their own apps' actions, all in one
transaction announced once (``posts.actions.announce_together``), so a
refusal anywhere leaves everything as it was.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from afterword.catalog import actions as catalog_actions
from afterword.catalog.models import PostMention, PostWork
from afterword.posts import actions as post_actions
from afterword.posts.models import Post, Revision
from afterword.series import actions as series_actions
from afterword.series.models import SeriesPart

from .actions import DiscardAutosave
from .forms import EditorForm

INTENTS = ("save", "publish", "schedule", "unpublish")


def unique_slug(title: str, post: Post) -> str:
    base = slugify(title, allow_unicode=True)[:180] or "draft"
    taken = set(
        Post.objects.filter(kind=Post.Kind.POST, slug__startswith=base)
        .exclude(pk=post.pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def latest_revision(post: Post) -> Revision | None:
    if post.pk is None:
        return None
    return post.revisions.order_by("-created_at", "-id").first()


def someone_else_saved(post: Post, base_id: int | None, user) -> Revision | None:
    """The newer revision by another writer, if the text was loaded before it."""
    latest = latest_revision(post)
    if latest is None or latest.pk == base_id:
        return None
    if base_id is not None and latest.pk < base_id:
        return None
    if latest.author_id == user.pk:
        return None
    return latest


def post_action(intent: str, post: Post, form: EditorForm, user):
    note = {
        "publish": "Published from the desk",
        "schedule": "Scheduled from the desk",
        "unpublish": "Unpublished from the desk",
    }.get(intent, "Edited in the desk" if post.pk else "Created in the desk")
    if intent == "publish":
        return post_actions.PublishPost(post, user=user, note=note)
    if intent == "schedule":
        return post_actions.SchedulePost(
            post, form.cleaned_data.get("published_at"), user=user, note=note
        )
    if intent == "unpublish":
        return post_actions.UnpublishPost(post, user=user, note=note)
    return post_actions.SavePost(post, user=user, note=note)


def apply_fields(post: Post, form: EditorForm) -> None:
    data = form.cleaned_data
    post.kind = Post.Kind.POST
    post.title = data["title"]
    post.body = data["body"]
    post.excerpt = data["excerpt"]
    post.slug = data["slug"] or unique_slug(data["title"], post)
    post.visibility = data["visibility"]
    post.password = data["password"] if data["visibility"] == "password" else ""
    post.comments_open = data["comments_open"]
    post.sticky = data["sticky"]
    post.featured_image = data["featured_image"]
    if post.status != Post.Status.PUBLISHED and data.get("published_at"):
        post.published_at = data["published_at"]


def save_from_editor(post: Post, form: EditorForm, intent: str, user) -> Post:
    """Run every action one save takes; raise the first refusal, store nothing."""
    apply_fields(post, form)
    data = form.cleaned_data
    with post_actions.announce_together(), transaction.atomic():
        post_action(intent, post, form, user).run()
        post_actions.SetPostTerms(
            post, tags=data["tag"], categories=data["category"], user=user
        ).run()
        _save_works(post, form, user)
        if user.has_perm("catalog.add_postmention"):
            _save_people(post, data["person"], user)
        if user.has_perm("series.change_seriespart"):
            _save_part(post, data.get("series"), data.get("series_position"), user)
        DiscardAutosave(post, user=user).run()
    return post


def _save_works(post: Post, form: EditorForm, user) -> None:
    links = form.work_links()
    kept = {link.work.pk for link in links}
    for old in PostWork.objects.filter(post=post).exclude(work_id__in=kept):
        catalog_actions.DeleteCatalogObject(old, user=user).run()
    # Clear the old primary first so the new one never meets it.
    for link in links:
        if not link.primary:
            catalog_actions.LinkPostToWork(
                post,
                link.work,
                rating=link.rating,
                contains_spoilers=link.spoilers,
                user=user,
            ).run()
    for link in links:
        if link.primary:
            catalog_actions.LinkPostToWork(
                post,
                link.work,
                primary=True,
                rating=link.rating,
                contains_spoilers=link.spoilers,
                user=user,
            ).run()


def _save_people(post: Post, people, user) -> None:
    wanted = {person.pk: person for person in people}
    by_hand = PostMention.objects.filter(
        post=post, person__isnull=False, from_reference=False
    )
    for mention in by_hand:
        if mention.person_id not in wanted:
            catalog_actions.DeleteCatalogObject(mention, user=user).run()
    have = set(
        PostMention.objects.filter(post=post, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    for pk, person in wanted.items():
        if pk not in have:
            catalog_actions.SaveCatalogObject(
                PostMention(post=post, person=person), user=user
            ).run()


def _save_part(post: Post, series, position, user) -> None:
    part = SeriesPart.objects.filter(post=post).first()
    if series is None:
        if part is not None:
            series_actions.DeletePart(part, user=user).run()
        return
    if part is None or part.series_id != series.pk:
        if part is not None:
            series_actions.DeletePart(part, user=user).run()
        part = SeriesPart(series=series, post=post)
    if position is None:
        position = part.position or _next_position(series)
    part.position = position
    series_actions.SavePart(part, user=user).run()


def _next_position(series) -> int:
    last = (
        SeriesPart.objects.filter(series=series)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1
