"""From the posts' announcements to webmentions sent (connected in ``apps``).

* ``posts.signals.post_went_live`` → send for the post, if public;
* ``core.changes.public_changes`` → send for each live public post the
  commit changed (an edit may add or remove links). The task skips links
  already told about the same HTML, so hearing a publication twice (went
  live, then the commit's changes) sends once.
"""

from __future__ import annotations

from afterword.core.changes import ChangeSet
from afterword.posts.models import Post

from . import targets


def _queue(post_id: int) -> None:
    from .tasks import send_webmentions

    send_webmentions.enqueue(post_id)


def on_post_went_live(sender, post: Post, **kwargs) -> None:
    if targets.is_public(post):
        _queue(post.pk)


def on_public_changes(changes: ChangeSet) -> None:
    if Post not in changes:
        return
    for pk in sorted(
        targets.public_posts()
        .filter(pk__in=changes.pks(Post))
        .values_list("pk", flat=True)
    ):
        _queue(pk)
