"""Saving, publishing and scheduling posts.

The admin, the importers, the demo loader and the tests all change posts
through these functions, so a post saved from anywhere is rendered,
revisioned, indexed and cached the same way.

Saving many posts at once (an import) wraps the saves in
:func:`announce_together`: each post is still rendered, checked and revised by
:func:`save_post`, but the announcements go out once for the whole batch
(``posts_changed``) instead of once per post (``content_changed``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from afterword.core.iterables import batched
from afterword.core.markdown import RenderedMarkdown, render_markdown
from afterword.core.sanitize import clean_html
from afterword.media.services import describe_image

from .models import Post, Revision
from .signals import content_changed, post_went_live, posts_changed

SUMMARY_WORDS = 55
# Figures never nest, so the first closing tag ends the first figure.
FIRST_FIGURE = re.compile(r"<figure\b.*?</figure>", re.DOTALL)


def render_post(post: Post) -> RenderedMarkdown:
    """Fill ``body_html`` and ``summary`` from the Markdown; return the render."""
    rendered = render_markdown(post.body, image_resolver=describe_image)
    post.body_html = rendered.html
    lead_figure = FIRST_FIGURE.search(rendered.html)
    # Cleaned on its own: a figure typed in raw HTML around another is cut at
    # the inner </figure>, and listings must not print it left open.
    post.lead_figure_html = clean_html(lead_figure.group(0)) if lead_figure else ""
    if post.excerpt.strip():
        post.summary = render_markdown(post.excerpt).plain_text
    else:
        post.summary = Truncator(rendered.plain_text).words(SUMMARY_WORDS)
    return rendered


def check_publishable(post: Post, rendered: RenderedMarkdown | None = None) -> None:
    """Refuse to publish a post whose images lack alternative text.

    Pass the body's render when it is at hand, so it is not rendered twice.
    """
    if post.status == Post.Status.DRAFT:
        return
    if rendered is None:
        rendered = render_markdown(post.body, image_resolver=describe_image)
    missing_alt = [
        f"The image {image.src} has no alt text."
        for image in rendered.images
        if not image.alt.strip()
    ]
    if post.featured_image_id and not post.featured_image.alt_text.strip():
        missing_alt.append("The featured image has no alt text.")
    problems = []
    if missing_alt:
        problems.append(
            "Add alternative text before publishing: " + " ".join(missing_alt)
        )
    if post.status == Post.Status.SCHEDULED and post.published_at is None:
        problems.append("A scheduled post needs a publish time.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def save_post(post: Post, *, user=None, note: str = "") -> Post:
    """Render, validate, store a revision and announce the change."""
    was_live = False
    if post.pk:
        previous = Post.objects.filter(pk=post.pk).first()
        was_live = bool(previous and previous.is_live())
    if post.status == Post.Status.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    if (
        post.status == Post.Status.SCHEDULED
        and post.published_at
        and post.published_at <= timezone.now()
    ):
        post.status = Post.Status.PUBLISHED
    check_publishable(post, render_post(post))
    post.save()
    Revision.objects.create(
        post=post,
        title=post.title,
        body=post.body,
        excerpt=post.excerpt,
        author=user,
        note=note,
    )
    batch = _batch.get()
    if batch is None:
        transaction.on_commit(lambda: _announce(post, was_live))
    else:
        # Registered like the single announcement, so a save rolled back with
        # its savepoint is left out of the batch too. Only the id is kept: a
        # batch may be a whole site's worth of posts.
        pk = post.pk
        transaction.on_commit(lambda: batch.add(pk, was_live))
    if post.status == Post.Status.SCHEDULED:
        transaction.on_commit(lambda: schedule_firing(post.published_at))
    return post


def _announce(post: Post, was_live: bool) -> None:
    content_changed.send(sender=Post, instance=post)
    if post.is_live() and not was_live:
        post_went_live.send(sender=Post, post=post)


class _Batch:
    """The posts saved inside one :func:`announce_together` block."""

    def __init__(self) -> None:
        # dicts keep the order of first saves and drop repeated ones.
        self.changed: dict[int, None] = {}
        self.maybe_live: dict[int, None] = {}

    def add(self, pk: int, was_live: bool) -> None:
        self.changed[pk] = None
        if not was_live:
            self.maybe_live[pk] = None

    def announce(self) -> None:
        if not self.changed:
            return
        posts_changed.send(sender=Post, post_ids=list(self.changed))
        # Whether a post is live is decided now, after the commit, exactly as
        # _announce decides it for a single save.
        for chunk in batched(self.maybe_live, ANNOUNCE_CHUNK):
            for post in Post.objects.filter(pk__in=chunk).order_by("pk"):
                if post.is_live():
                    post_went_live.send(sender=Post, post=post)


ANNOUNCE_CHUNK = 500
_batch: ContextVar[_Batch | None] = ContextVar("posts_announce_batch", default=None)


@contextmanager
def announce_together() -> Iterator[None]:
    """Send the announcements of every :func:`save_post` in the block at once.

    Inside the block ``save_post`` works as usual (render, publish checks,
    revision) except for what it sends after the commit: instead of one
    ``content_changed`` per post, the block sends one ``posts_changed`` with
    the ids of all the posts saved in it, so the page cache starts one new
    version and the search index is written in bulk. ``post_went_live`` is
    still sent for each post that became visible. Like the single
    announcements, all this happens once the surrounding transaction commits,
    and not at all if it rolls back.

    Meant for importers and other writers of many posts; the admin saves one
    post at a time and never needs it.
    """
    if _batch.get() is not None:
        # Nested: the outer block announces everything.
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        # Even when the block raised: if the caller catches the error and the
        # transaction commits, the posts saved before it must be announced.
        # Registered last, so it runs after every save's ``batch.add``.
        transaction.on_commit(batch.announce)


def schedule_firing(when: datetime) -> None:
    from .tasks import publish_due_posts

    publish_due_posts.using(run_after=when).enqueue()


def publish_due(now: datetime | None = None) -> list[Post]:
    """Flip due scheduled posts to published and announce each one once.

    Safe to run from several workers at once: the status update is a
    conditional UPDATE, so only the worker that changes the row announces it.
    """
    now = now or timezone.now()
    fired = []
    due = Post.objects.filter(status=Post.Status.SCHEDULED, published_at__lte=now)
    for post in due:
        changed = Post.objects.filter(pk=post.pk, status=Post.Status.SCHEDULED).update(
            status=Post.Status.PUBLISHED
        )
        if changed:
            post.status = Post.Status.PUBLISHED
            content_changed.send(sender=Post, instance=post)
            post_went_live.send(sender=Post, post=post)
            fired.append(post)
    return fired


def restore_revision(revision: Revision, *, user=None) -> Post:
    post = revision.post
    post.title = revision.title
    post.body = revision.body
    post.excerpt = revision.excerpt
    return save_post(
        post,
        user=user,
        note=f"Restored revision of {revision.created_at:%Y-%m-%d %H:%M}",
    )


def delete_post(post: Post) -> None:
    post.delete()
    content_changed.send(sender=Post, instance=post)
