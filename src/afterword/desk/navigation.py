"""The desk's navigation: by task, each entry shown to roles that can use it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    # Any one of these permissions shows the entry; empty: every writer.
    permissions: tuple[str, ...] = ()
    superuser_only: bool = False


ENTRIES = (
    NavEntry("home", _("Home"), "desk:home"),
    NavEntry("write", _("Write"), "desk:posts"),
    NavEntry(
        "comments",
        _("Comments"),
        "desk:comments",
        ("discussion.change_comment", "discussion.moderate_own_comment"),
    ),
    NavEntry("catalog", _("Catalog"), "desk:catalog", ("catalog.view_work",)),
    NavEntry("series", _("Series"), "desk:series", ("series.view_series",)),
    NavEntry(
        "followers",
        _("Followers"),
        "desk:followers",
        ("subscriptions.view_subscriber",),
    ),
    NavEntry("fediverse", _("Fediverse"), "desk:fediverse", ("posts.publish_post",)),
    NavEntry("stats", _("Figures"), "desk:stats"),
    NavEntry(
        "appearance",
        _("Appearance"),
        "desk:appearance",
        ("theme.change_siteappearance",),
    ),
    NavEntry("settings", _("Settings"), "desk:settings", ("accounts.change_user",)),
    NavEntry("advanced", _("Advanced"), "desk:advanced", superuser_only=True),
)


def entries_for(user, current: str = "") -> list[dict]:
    """The entries this user sees, with their addresses resolved."""
    shown = []
    for entry in ENTRIES:
        if entry.superuser_only and not user.is_superuser:
            continue
        if entry.permissions and not any(user.has_perm(p) for p in entry.permissions):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            # A screen not mounted in this build is simply not offered.
            continue
        shown.append(
            {
                "key": entry.key,
                "label": entry.label,
                "url": url,
                "current": entry.key == current,
            }
        )
    return shown
