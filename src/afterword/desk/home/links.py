"""Where the home sends a writer to fix something.

The desk's own editor and series screens are preferred; while a build does
not mount them, the Django admin's pages for the same rows are used, so every
link on the home always leads somewhere that works.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def _first(*candidates: tuple[str, tuple]) -> str:
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def edit_url(post) -> str:
    """The page where ``post`` is edited: the desk's editor, else the admin."""
    admin_name = f"admin:posts_{post.kind}_change"
    return _first(("desk:edit_post", (post.pk,)), (admin_name, (post.pk,)))


def series_url(series) -> str:
    """The page where a series and its planned parts are edited."""
    return _first(
        ("desk:edit_series", (series.pk,)),
        ("admin:series_series_change", (series.pk,)),
    )


def held_comments_url() -> str:
    """The full moderation queue: the desk's comments screen, else the admin's."""
    try:
        return reverse("desk:comments") + "?status=pending"
    except NoReverseMatch:
        return reverse("admin:discussion_comment_changelist") + "?status=pending"
