"""Saving, publishing and scheduling posts.

The admin, the importers, the demo loader and the tests all change posts
through these functions, so a post saved from anywhere is rendered,
revisioned, indexed and cached the same way.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from afterword.core.markdown import RenderedMarkdown, render_markdown
from afterword.media.services import describe_image

from .models import Post, Revision
from .signals import content_changed, post_went_live

SUMMARY_WORDS = 55
# Figures never nest, so the first closing tag ends the first figure.
FIRST_FIGURE = re.compile(r"<figure\b.*?</figure>", re.DOTALL)


def render_post(post: Post) -> RenderedMarkdown:
    """Fill ``body_html`` and ``summary`` from the Markdown; return the render."""
    rendered = render_markdown(post.body, image_resolver=describe_image)
    post.body_html = rendered.html
    lead_figure = FIRST_FIGURE.search(rendered.html)
    post.lead_figure_html = lead_figure.group(0) if lead_figure else ""
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
    transaction.on_commit(lambda: _announce(post, was_live))
    if post.status == Post.Status.SCHEDULED:
        transaction.on_commit(lambda: schedule_firing(post.published_at))
    return post


def _announce(post: Post, was_live: bool) -> None:
    content_changed.send(sender=Post, instance=post)
    if post.is_live() and not was_live:
        post_went_live.send(sender=Post, post=post)


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
