"""Build and render a post's comment thread: one query, cached as HTML.

The tree is built in Python from a single query (the comments of a post, in
time order), then flattened depth-first into a list the template walks
without recursion: each item says whether it opens a list of replies and how
many lists close after it. The rendered fragment is cached until a comment of
the post changes (``invalidate``), so a busy post page costs one small cache
read (the thread's version) for its whole discussion, however long.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language

from afterword.core.dates import date_format
from afterword.core.urls import cached_reverse

from . import thread_html
from .models import Comment, DiscussionSettings

GRAVATAR = "https://www.gravatar.com/avatar/{hash}?s=96&d=identicon"


@dataclass
class ThreadItem:
    """One comment of a thread, with the strings its template prints.

    The id, anchor and times are made here rather than with template filters:
    a thread prints each of them several times per comment, and a whole-site
    static build renders every comment of the site.
    """

    comment: Comment
    avatar: str
    opens: bool
    closes: range
    can_reply: bool
    id: str = ""
    anchor: str = ""
    machine_time: str = ""
    shown_time: str = ""

    @classmethod
    def of(cls, comment: Comment, **kwargs) -> ThreadItem:
        when = timezone.localtime(comment.created_at)
        return cls(
            comment=comment,
            id=str(comment.pk),
            anchor=f"comment-{comment.pk}",
            # What the ``date`` filter makes of "c" and "DATETIME_FORMAT"
            # (core/formats: "2 December 2026, 14:05" in English).
            machine_time=when.isoformat(),
            shown_time=date_format(when, "DATETIME_FORMAT"),
            **kwargs,
        )


# Rendered threads by (post, version, settings generation, open?), per process:
# a long thread is a few hundred kilobytes that the shared cache stores
# compressed, and reading it back on every request would cost more than the
# rest of the section. The version lives in the shared cache, so a change seen
# by one process reaches every other at its next request.
_LOCAL: OrderedDict[tuple, dict] = OrderedDict()
_LOCAL_SIZE = 64
ENTRY_TIMEOUT = 7 * 24 * 3600


def _version_key(post_id: int) -> str:
    return f"discussion:thread-version:{post_id}"


def thread_version(post_id: int) -> int:
    key = _version_key(post_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), None)
        version = cache.get(key)
    return version


def cache_key(
    post_id: int, version: int, policy: DiscussionSettings, is_open: bool
) -> str:
    # The language too: the thread's dates and buttons are written in it;
    # and the script prefix its addresses are written under (a static copy).
    return (
        f"discussion:thread:{post_id}:{version}:{policy.generation}:"
        f"{int(is_open)}:{get_language()}:{get_script_prefix()}"
    )


def invalidate(post_id: int) -> None:
    """Start a new version of the post's thread, in every process at once."""
    cache.set(_version_key(post_id), time.time_ns(), None)


def avatar_url(comment: Comment, policy: DiscussionSettings) -> str:
    if comment.author_avatar:
        return default_storage.url(comment.author_avatar)
    user = comment.user
    if user is not None and user.avatar:
        return user.avatar.url
    if policy.use_gravatar and comment.author_email:
        return GRAVATAR.format(hash=comment.gravatar_hash)
    return cached_reverse("discussion:avatar", digest=comment.identity_hash)


def flatten(comments: list[Comment]) -> list[tuple[Comment, bool, int]]:
    """Depth-first order with, per comment, (opens replies?, lists closed after)."""
    children: dict[int | None, list[Comment]] = {}
    known = {comment.pk for comment in comments}
    for comment in comments:
        # A reply whose parent is hidden (held, spam, trash) is shown at the
        # top level rather than lost.
        parent = comment.parent_id if comment.parent_id in known else None
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[Comment, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        comment, level = stack.pop()
        ordered.append((comment, level))
        stack.extend((c, level + 1) for c in reversed(children.get(comment.pk, [])))
    result = []
    for index, (comment, level) in enumerate(ordered):
        next_level = ordered[index + 1][1] if index + 1 < len(ordered) else 0
        opens = next_level > level
        result.append((comment, opens, 0 if opens else level - next_level))
    return result


# Where ``prefetch_approved`` leaves each post's approved comments.
PREFETCHED = "_approved_comments"


def approved_queryset():
    return (
        Comment.objects.filter(status=Comment.Status.APPROVED)
        .select_related("user")
        .order_by("created_at", "id")
    )


def prefetch_approved(posts) -> None:
    """Load the approved comments of many posts in one query (the static
    build renders every post's thread and comment feed); each comment's
    ``post`` is the post object it was loaded for."""
    prefetch_related_objects(
        posts, Prefetch("comments", queryset=approved_queryset(), to_attr=PREFETCHED)
    )


def approved_comments(post) -> list[Comment]:
    """The post's approved comments, oldest first."""
    prefetched = getattr(post, PREFETCHED, None)
    if prefetched is not None:
        return prefetched
    return list(approved_queryset().filter(post_id=post.pk))


def render_thread(
    post,
    *,
    is_open: bool,
    policy: DiscussionSettings | None = None,
    keep: bool = True,
) -> dict:
    """{"html": rendered thread, "count": approved comments} for ``post``.

    ``keep=False`` renders it without the cache: a renderer that asks for
    each address once (the static build) would only fill it.
    """
    policy = policy or DiscussionSettings.load()
    if not keep:
        return _rendered(post, is_open, policy)
    key = cache_key(post.pk, thread_version(post.pk), policy, is_open)
    local = _LOCAL.get(key)
    if local is not None:
        return local
    cached = cache.get(key)
    if cached is not None:
        _keep(key, cached)
        return cached
    result = _rendered(post, is_open, policy)
    result["key"] = key
    cache.set(key, result, ENTRY_TIMEOUT)
    _keep(key, result)
    return result


def _rendered(post, is_open: bool, policy: DiscussionSettings) -> dict:
    comments = approved_comments(post)
    post_url = post.get_absolute_url()
    items = []
    for comment, opens, closes in flatten(comments):
        items.append(
            ThreadItem.of(
                comment,
                avatar=avatar_url(comment, policy),
                opens=opens,
                closes=range(closes),
                can_reply=is_open and comment.depth < policy.max_depth - 1,
            )
        )
    return {"html": thread_html.render(items, post_url), "count": len(comments)}


def _keep(key: str, entry: dict) -> None:
    _LOCAL[key] = entry
    _LOCAL.move_to_end(key)
    while len(_LOCAL) > _LOCAL_SIZE:
        _LOCAL.popitem(last=False)


def remember(thread: dict) -> None:
    """Store extra renderings added to a thread entry (the section shell)."""
    if "key" in thread:
        cache.set(thread["key"], thread, ENTRY_TIMEOUT)
        _keep(thread["key"], thread)
