"""Signal receivers of the discussion (connected in ``apps.py``)."""

from __future__ import annotations

from django.core.cache import cache

from .providers import PROVIDERS_CACHE_KEY


def remember_login_provider(sender, request, user, **kwargs) -> None:
    """Keep the provider's name in the session for "You are commenting using…"."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None and request is not None:
        provider = sociallogin.provider or sociallogin.account.get_provider(request)
        request.session["afterword_login_provider"] = provider.name
    elif request is not None:
        request.session.pop("afterword_login_provider", None)


def forget_providers(sender, **kwargs) -> None:
    cache.delete(PROVIDERS_CACHE_KEY)


def on_public_changes(changes) -> None:
    """Start a new version of every thread whose comments readers see changed.

    Comments are read from the change itself where the row is known (a
    deleted comment is gone from the table); a writer's new name or avatar
    shows in the threads of every post they commented on, and in the section
    of every post they wrote ("write to …").
    """
    from django.contrib.auth import get_user_model

    from afterword.posts.models import Post

    from . import threads
    from .models import Comment

    post_ids = {comment.post_id for comment in changes.instances(Comment)}
    bare = changes.pks(Comment) - {c.pk for c in changes.instances(Comment)}
    if bare:
        post_ids |= set(
            Comment.objects.filter(pk__in=bare).values_list("post_id", flat=True)
        )
    users = changes.pks(get_user_model())
    if users:
        post_ids |= set(
            Comment.objects.filter(user_id__in=users).values_list("post_id", flat=True)
        )
        # The cached section also names the post's author ("write to …").
        post_ids |= set(
            Post.objects.filter(author_id__in=users).values_list("pk", flat=True)
        )
    for post_id in post_ids:
        threads.invalidate(post_id)
