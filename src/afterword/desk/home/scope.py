"""Whose content the home speaks about.

Contributors and authors see their own posts and what readers did with
them; editors and administrators (``posts.edit_others_posts``) see the whole
site. The same rule the post actions enforce (``posts.actions.check_role_rules``)
decides it, so the home never shows a figure for posts the writer could not open.
"""

from __future__ import annotations

from afterword.posts.models import Post


def sees_everything(user) -> bool:
    return user.is_superuser or user.has_perm("posts.edit_others_posts")


def posts_for(user):
    """Posts (not pages) this writer answers for on the home."""
    posts = Post.objects.posts()
    return posts if sees_everything(user) else posts.filter(author=user)


def comments_for(user, comments):
    """``comments`` narrowed to those on this writer's posts."""
    return comments if sees_everything(user) else comments.filter(post__author=user)


def moderates_comments(user) -> bool:
    return user.has_perm("discussion.change_comment")


def sees_followers(user) -> bool:
    return user.has_perm("subscriptions.view_subscriber")
