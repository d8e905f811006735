"""Every change to posts, pages and their terms, as named actions.

The admin (change form, list actions, "delete selected"), the importers, the
demo loader, the scheduler and the tests all call these; ``services`` keeps
the rendering and checking helpers they share and thin functions for code
that just wants to save a post. What pages show follows by itself from the
declared models (``posts.apps``); an action only announces what people hear
about: ``post_went_live`` when a post becomes listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core import changes
from afterword.core.actions import Action, DeleteObject, SaveObject

from . import services
from .models import Category, Post, Revision
from .signals import address_changed, post_went_live


def check_role_rules(post: Post, user, *, deleting: bool = False) -> None:
    """The two WordPress role rules beyond model permissions.

    A writer without ``posts.edit_others_posts`` (contributors and authors)
    touches only their own posts; one without ``posts.publish_post``
    (contributors) keeps them drafts, and may not change or delete a post
    once it has been published or scheduled. Commands and importers (no
    user) act as the installation.
    """
    if user is None or user.is_superuser:
        return
    stored = (
        Post.objects.filter(pk=post.pk)
        .values("author_id", "status", "status_before_trash")
        .first()
        if post.pk
        else None
    )
    if stored and stored["status"] == Post.Status.TRASH:
        # A post in the trash is judged by what it was: a contributor may
        # put back their own draft, not a post that was out.
        stored["status"] = stored["status_before_trash"] or Post.Status.DRAFT
    owner = stored["author_id"] if stored else post.author_id
    if owner != user.pk and not user.has_perm("posts.edit_others_posts"):
        raise PermissionDenied(_("You can only change your own posts."))
    if user.has_perm("posts.publish_post"):
        return
    was_out = stored is not None and stored["status"] != Post.Status.DRAFT
    going_out = not deleting and post.status not in (
        Post.Status.DRAFT,
        Post.Status.TRASH,
    )
    if was_out or going_out:
        raise PermissionDenied(
            _(
                "Your role writes drafts for review: an editor or author publishes "
                "them, and only they change a post once it is out."
            )
        )


def _was_listed(post: Post) -> bool:
    if post.pk is None:
        return False
    previous = (
        Post.objects.filter(pk=post.pk)
        .only("status", "published_at", "visibility")
        .first()
    )
    return bool(previous and previous.is_listed())


def check_visibility(post: Post) -> None:
    """A protected post needs its password; the choices are the model's."""
    if post.visibility not in Post.Visibility.values:
        raise ValidationError(
            {"visibility": _("Choose public, unlisted, private or password.")}
        )
    if post.visibility == Post.Visibility.PASSWORD and not post.password.strip():
        raise ValidationError(
            {"password": _("A password-protected post needs a password.")}
        )


def _live_address(post: Post) -> str:
    """The address where readers find ``post`` as stored now, or "" if they
    don't (computed before a save changes its slug or date)."""
    if post.pk is None:
        return ""
    previous = (
        Post.objects.filter(pk=post.pk)
        .only("kind", "slug", "status", "published_at", "created_at")
        .first()
    )
    if previous is None or not previous.is_live():
        return ""
    return previous.get_absolute_url()


class SavePost(Action):
    """Render, check, store a revision; announce the post if it went live.

    A published post without a time gets the current one; a scheduled post
    whose time has passed is published at once. A refusal (an image without
    alt text, a scheduled post without a time) raises ``ValidationError``
    before anything is written.
    """

    name = "posts.save_post"

    def __init__(self, post: Post, *, user=None, change=None, note: str = ""):
        super().__init__(user=user)
        self.post = post
        self.note = note or ("Edited" if post.pk else "Created")
        self.rendered = None

    def required_permission(self) -> str:
        noun = "page" if self.post.is_page else "post"
        return f"posts.{'change' if self.post.pk else 'add'}_{noun}"

    def prepare(self) -> None:
        """Settle status and time the way they will be stored."""
        post = self.post
        if post.status == Post.Status.PUBLISHED and post.published_at is None:
            post.published_at = timezone.now()
        if (
            post.status == Post.Status.SCHEDULED
            and post.published_at
            and post.published_at <= timezone.now()
        ):
            post.status = Post.Status.PUBLISHED

    def check(self) -> None:
        super().check()
        post = self.post
        self.prepare()
        check_role_rules(post, self.user)
        # Forms refuse it already; an import or a script may not (and
        # PostgreSQL cannot store it).
        if any(
            "\x00" in text for text in (post.title, post.slug, post.body, post.excerpt)
        ):
            raise ValidationError(
                _(
                    "The text contains a NUL character, which cannot be stored; "
                    "remove it and save again."
                )
            )
        check_visibility(post)
        self.rendered = services.render_post(self.post)
        services.check_publishable(self.post, self.rendered)

    def execute(self) -> Post:
        post = self.post
        self.was_listed = _was_listed(post)
        old_address = _live_address(post)
        post.save()
        if post.is_live():
            new_address = post.get_absolute_url()
            if new_address != old_address:
                address_changed.send(
                    sender=Post,
                    instance=post,
                    old_address=old_address,
                    new_address=new_address,
                )
        Revision.objects.create(
            post=post,
            title=post.title,
            body=post.body,
            excerpt=post.excerpt,
            author=self.user if getattr(self.user, "pk", None) else None,
            note=self.note,
        )
        return post

    def announce(self, post: Post) -> None:
        if post.status == Post.Status.SCHEDULED:
            services.schedule_firing(post.published_at)
        if post.is_listed() and not self.was_listed:
            post_went_live.send(sender=Post, post=post)


class PublishPost(SavePost):
    """Publish now (a draft, or a post scheduled for later)."""

    name = "posts.publish_post"

    def prepare(self) -> None:
        post = self.post
        post.status = Post.Status.PUBLISHED
        if post.published_at is None or post.published_at > timezone.now():
            post.published_at = timezone.now()
        super().prepare()


class SchedulePost(SavePost):
    """Publish at ``when``; a time already past publishes at once."""

    name = "posts.schedule_post"

    def __init__(self, post: Post, when: datetime, **kwargs):
        super().__init__(post, **kwargs)
        self.when = when

    def prepare(self) -> None:
        self.post.status = Post.Status.SCHEDULED
        self.post.published_at = self.when
        super().prepare()


class UnpublishPost(SavePost):
    """Back to draft: gone from every page, feed and search result."""

    name = "posts.unpublish_post"

    def prepare(self) -> None:
        self.post.status = Post.Status.DRAFT
        super().prepare()


class RestoreRevision(SavePost):
    """Put an earlier revision's title, text and excerpt back (as a new save)."""

    name = "posts.restore_revision"

    def __init__(self, revision: Revision, *, user=None):
        post = revision.post
        post.title = revision.title
        post.body = revision.body
        post.excerpt = revision.excerpt
        super().__init__(
            post,
            user=user,
            note=f"Restored revision of {revision.created_at:%Y-%m-%d %H:%M}",
        )


class DeletePost(DeleteObject):
    """Delete a post or page, with its revisions and comments."""

    name = "posts.delete_post"

    def required_permission(self) -> str:
        return f"posts.delete_{'page' if self.instance.is_page else 'post'}"

    def check(self) -> None:
        super().check()
        check_role_rules(self.instance, self.user, deleting=True)


class TrashPost(Action):
    """Move a post or page to the trash: gone from every page, feed, listing
    and search result (the live rule names published and scheduled posts
    only), yet kept with its revisions and comments until it is restored
    (:class:`RestorePost`) or deleted for good (:class:`DeletePost`).

    The same rules as deleting apply. Its address answers 404 while it is in
    the trash; the post keeps its slug, so the address is its own again
    when it comes back.
    """

    name = "posts.trash_post"

    def __init__(self, post: Post, *, user=None):
        super().__init__(user=user)
        self.post = post

    def required_permission(self) -> str:
        return f"posts.delete_{'page' if self.post.is_page else 'post'}"

    def check(self) -> None:
        super().check()
        check_role_rules(self.post, self.user, deleting=True)
        if self.post.status == Post.Status.TRASH:
            raise ValidationError(_("This post is already in the trash."))

    def execute(self) -> Post:
        post = self.post
        post.status_before_trash = post.status
        post.status = Post.Status.TRASH
        post.trashed_at = timezone.now()
        post.save(
            update_fields=["status", "status_before_trash", "trashed_at", "updated_at"]
        )
        return post


class RestorePost(Action):
    """Take a post out of the trash, back to the status it had.

    A scheduled post whose time passed meanwhile comes back published. A
    post that was listed comes back without ``post_went_live``: its
    followers heard of it when it first went out.
    """

    name = "posts.restore_post"

    def __init__(self, post: Post, *, user=None):
        super().__init__(user=user)
        self.post = post

    def required_permission(self) -> str:
        return f"posts.delete_{'page' if self.post.is_page else 'post'}"

    def check(self) -> None:
        super().check()
        check_role_rules(self.post, self.user, deleting=True)
        if self.post.status != Post.Status.TRASH:
            raise ValidationError(_("This post is not in the trash."))

    def execute(self) -> Post:
        post = self.post
        post.status = post.status_before_trash or Post.Status.DRAFT
        if (
            post.status == Post.Status.SCHEDULED
            and post.published_at
            and post.published_at <= timezone.now()
        ):
            post.status = Post.Status.PUBLISHED
        post.status_before_trash = ""
        post.trashed_at = None
        post.save(
            update_fields=["status", "status_before_trash", "trashed_at", "updated_at"]
        )
        return post

    def announce(self, post: Post) -> None:
        if post.status == Post.Status.SCHEDULED:
            services.schedule_firing(post.published_at)


# ---------------------------------------------------------------------------
# Tags and categories


def _posts_with(term: models.Model) -> list[int]:
    return list(term.posts.values_list("pk", flat=True))


class SaveTerm(SaveObject):
    """Create or rename a tag or category. Its posts' pages and search
    documents follow from the declared models (``posts.apps``); a new slug
    leaves a redirect at the old address (``signals.address_changed``)."""

    name = "posts.save_term"

    def validate(self) -> None:
        term = self.instance
        if isinstance(term, Category) and term.parent_id:
            parent, seen = term.parent, {term.pk}
            while parent is not None:
                if parent.pk in seen:
                    raise ValidationError(
                        {"parent": "A category cannot be inside itself."}
                    )
                seen.add(parent.pk)
                parent = parent.parent
        term.full_clean()

    def execute(self):
        term = self.instance
        stored = (
            type(term).objects.filter(pk=term.pk).values_list("slug", flat=True).first()
            if term.pk
            else None
        )
        old_address = type(term)(slug=stored).get_absolute_url() if stored else ""
        super().execute()
        new_address = term.get_absolute_url()
        if new_address != old_address:
            address_changed.send(
                sender=type(term),
                instance=term,
                old_address=old_address,
                new_address=new_address,
            )
        return term


class SetPostTerms(Action):
    """Give a post exactly these tags and categories (the desk's editor).

    The same role rules as saving the post apply: a writer files only the
    posts they may change.
    """

    name = "posts.set_post_terms"
    permission = "posts.change_post"

    def __init__(self, post: Post, *, tags=None, categories=None, user=None):
        super().__init__(user=user)
        self.post = post
        self.tags = None if tags is None else list(tags)
        self.categories = None if categories is None else list(categories)

    def check(self) -> None:
        super().check()
        check_role_rules(self.post, self.user)

    def execute(self) -> Post:
        if self.tags is not None:
            self.post.tags.set(self.tags)
        if self.categories is not None:
            self.post.categories.set(self.categories)
        return self.post


class DeleteTerm(DeleteObject):
    """Delete a tag or category; the posts that carried it change too."""

    name = "posts.delete_term"

    def execute(self):
        # Once the term is gone its posts can no longer be found through it.
        changes.record(Post, _posts_with(self.instance))
        return super().execute()


class MergeTerms(Action):
    """Move every post of ``sources`` onto ``target``, then delete them.

    The sources' posts keep one copy of the target (never two), and the
    target keeps its own name and address.
    """

    name = "posts.merge_terms"

    def __init__(self, target, sources: Iterable, *, user=None):
        super().__init__(user=user)
        self.target = target
        self.sources = [s for s in sources if s.pk != target.pk]

    def required_permission(self) -> str:
        return f"posts.delete_{type(self.target)._meta.model_name}"

    def check(self) -> None:
        super().check()
        kinds = {type(self.target), *(type(s) for s in self.sources)}
        if len(kinds) != 1:
            raise ValidationError(
                _("Tags can only be merged with tags, categories with categories.")
            )
        if not self.sources:
            raise ValidationError(_("Choose at least one other term to merge."))

    def execute(self):
        for source in self.sources:
            post_ids = _posts_with(source)
            # add() skips posts that already carry the target.
            self.target.posts.add(*post_ids)
            changes.record(Post, post_ids)
            source.delete()
        return self.target

    def describe(self) -> str:
        return "merge terms"


# ---------------------------------------------------------------------------
# Short ways in, for code that just wants a post saved or gone


def save_post(post: Post, *, user=None, note: str = "") -> Post:
    return SavePost(post, user=user, note=note).run()


def delete_post(post: Post, *, user=None) -> None:
    DeletePost(post, user=user).run()


def trash_post(post: Post, *, user=None) -> Post:
    return TrashPost(post, user=user).run()


def restore_post(post: Post, *, user=None) -> Post:
    return RestorePost(post, user=user).run()


def restore_revision(revision: Revision, *, user=None) -> Post:
    return RestoreRevision(revision, user=user).run()


def announce_together():
    """Announce every post saved in the block at once (importers use it).

    Each post is still rendered, checked and revised by its own save; the
    page cache, the search index and the catalog hear about all of them in
    one announcement once the surrounding transaction commits
    (``core.changes.collect``); ``post_went_live`` still goes out for each
    post that became visible.
    """
    return changes.collect()
