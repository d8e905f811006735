"""How the search index follows changes; connected in ``SearchConfig.ready()``."""

from __future__ import annotations

from afterword.core.changes import ChangeSet
from afterword.posts.models import Category, Post, Tag

from .services import index_posts


def on_public_changes(changes: ChangeSet) -> None:
    """Re-read the posts whose text or terms changed.

    A post's document holds its title, text and the names of its tags and
    categories, so a renamed term re-indexes every post carrying it. Posts
    that left the index (unpublished, deleted) are handled by ``index_posts``.
    """
    post_ids = changes.pks(Post)
    for model in (Tag, Category):
        term_ids = changes.pks(model)
        if term_ids:
            post_ids |= set(
                model.posts.through.objects.filter(
                    **{f"{model._meta.model_name}_id__in": term_ids}
                ).values_list("post_id", flat=True)
            )
    if post_ids:
        index_posts(sorted(post_ids))
