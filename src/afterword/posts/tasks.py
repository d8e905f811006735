"""Background work of the posts app: publishing scheduled posts at their time.

``services.schedule_firing`` enqueues :func:`publish_due_posts` for a post's
time. The action it runs, :class:`PublishDuePosts`, lives here rather than in
``actions`` so that ``actions`` → ``services`` → ``tasks`` is one direction:
this module imports neither of them.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from afterword.core import changes
from afterword.core.actions import Action

from .models import Post
from .signals import post_went_live


@task()
def publish_due_posts() -> int:
    return len(publish_due())


class PublishDuePosts(Action):
    """Flip due scheduled posts to published and announce each one once.

    Safe to run from several workers at once: the status change is a
    conditional UPDATE, so only the worker that changes the row announces it.
    """

    name = "posts.publish_due"

    def __init__(self, now: datetime | None = None):
        super().__init__(user=None)
        self.now = now or timezone.now()

    def execute(self) -> list[Post]:
        fired = []
        due = Post.objects.filter(
            status=Post.Status.SCHEDULED, published_at__lte=self.now
        )
        for post in due:
            changed = Post.objects.filter(
                pk=post.pk, status=Post.Status.SCHEDULED
            ).update(status=Post.Status.PUBLISHED)
            if changed:
                post.status = Post.Status.PUBLISHED
                fired.append(post)
        # A queryset UPDATE sends no model signal: report the posts.
        changes.record(Post, [], instances=fired)
        return fired

    def announce(self, fired: list[Post]) -> None:
        for post in fired:
            # Unlisted and private posts go live without telling followers.
            if post.is_listed(self.now):
                post_went_live.send(sender=Post, post=post)


def publish_due(now: datetime | None = None) -> list[Post]:
    return PublishDuePosts(now).run()
