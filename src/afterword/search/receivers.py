"""Signal receivers of the search app; connected in ``SearchConfig.ready()``."""

from __future__ import annotations

from afterword.posts.models import Category, Post, Tag

from .services import index_post, index_posts, index_posts_with_term


def update_index(sender, instance, **kwargs) -> None:
    """Re-read whatever changed: a post or page, or a term posts carry."""
    if isinstance(instance, Post):
        index_post(instance)
    elif isinstance(instance, (Tag, Category)):
        index_posts_with_term(instance)


def update_index_many(sender, post_ids, **kwargs) -> None:
    """Re-read a batch of posts saved together (``posts_changed``)."""
    index_posts(post_ids)
