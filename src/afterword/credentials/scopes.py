"""What a credential may do: five scopes, and the words clients ask with.

Afterword's own scopes are coarse on purpose, one per kind of trust a
writer gives a tool: ``read`` (see drafts, comments awaiting moderation,
followers), ``draft`` (write and upload, but nothing readers see),
``publish`` (make posts live or change live ones), ``moderate`` (comments)
and ``catalog`` (works, people, credits, series). A scope never adds to
what the writer's role allows: the actions still check the role.

Micropub and IndieAuth clients ask with their own words (``create``,
``update``, ``media``...); :func:`from_request` maps them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

READ = "read"
DRAFT = "draft"
PUBLISH = "publish"
MODERATE = "moderate"
CATALOG = "catalog"

ALL = frozenset({READ, DRAFT, PUBLISH, MODERATE, CATALOG})

# Micropub's scope words (and IndieAuth's identity-only ones) in ours.
_REQUESTED = {
    "create": {DRAFT, PUBLISH},
    "update": {DRAFT, PUBLISH},
    "delete": {DRAFT, PUBLISH},
    "undelete": {DRAFT, PUBLISH},
    "media": {DRAFT},
    "profile": set(),
    "email": set(),
}

_DESCRIPTIONS = {
    READ: _("See your drafts, comments waiting for moderation and followers"),
    DRAFT: _("Write drafts and upload images (nothing readers can see)"),
    PUBLISH: _("Publish, schedule, change and delete posts readers can see"),
    MODERATE: _("Approve, answer and remove comments"),
    CATALOG: _("Change works, people, credits and series"),
}


def from_request(text: str) -> frozenset[str]:
    """Our scopes for a space-separated scope string; unknown words are dropped."""
    granted: set[str] = set()
    for word in (text or "").split():
        if word in ALL:
            granted.add(word)
        else:
            granted |= _REQUESTED.get(word, set())
    return frozenset(granted)


def normalise(scopes) -> frozenset[str]:
    """Keep only known scopes from an iterable (or a space-separated string)."""
    if isinstance(scopes, str):
        scopes = scopes.split()
    return frozenset(scope for scope in scopes if scope in ALL)


def as_text(scopes) -> str:
    """Stored and sent form: sorted, space-separated."""
    return " ".join(sorted(normalise(scopes)))


def describe(scope: str) -> str:
    return str(_DESCRIPTIONS.get(scope, scope))
