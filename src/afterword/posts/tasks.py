"""Background work of the posts app: publishing scheduled posts at their time.

``services.schedule_firing`` enqueues :func:`publish_due_posts` for a post's
time; this module imports no service, so the two never import each other.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from .models import Post
from .signals import content_changed, post_went_live


@task()
def publish_due_posts() -> int:
    return len(publish_due())


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
