"""The four writer roles, with WordPress's meanings, as Django groups.

A role is a set of Django permissions kept in a group of the same name, so
every way in (the desk, the admin, the API, the command line) asks the same
question: ``user.has_perm(...)``, which the actions' ``check()`` does. The
few rules a permission alone cannot say (a contributor's post stays a
draft; an author edits only their own posts) live in the posts actions
and read the two permissions declared on ``Post`` for them.

=============  ==============================================================
contributor    writes and edits their own drafts; cannot publish or upload
author         publishes and edits their own posts; uploads images; adds works
               and people to the catalog from the editor; moderates the
               comments on their own posts
editor         every post and page, comments, terms, the catalog, series
administrator  all of the above plus settings, redirects and accounts
=============  ==============================================================

Groups are (re)built after every ``migrate`` (``sync_role_groups``), so a
new model's permissions reach the roles that should have them without a
data migration per app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# (app_label, codename); a codename of "*" means every permission of the app.
Grant = tuple[str, str]


@dataclass(frozen=True)
class Role:
    slug: str
    label: str
    description: str
    grants: tuple[Grant, ...]
    # Taken back out of a "*" grant: site-wide settings stay with
    # administrators even where a role handles the rest of an app.
    withheld: tuple[Grant, ...] = ()

    @property
    def group_name(self) -> str:
        return self.slug.capitalize()


_READ_CATALOG = tuple(
    ("catalog", f"view_{model}")
    for model in ("work", "person", "organisation", "credit", "release", "role")
)
_WRITE_OWN = (
    ("posts", "add_post"),
    ("posts", "change_post"),
    ("posts", "delete_post"),
    ("posts", "view_post"),
    ("posts", "view_tag"),
    ("posts", "add_tag"),
    ("posts", "view_category"),
    ("posts", "view_revision"),
    ("catalog", "add_postwork"),
    ("catalog", "change_postwork"),
    ("catalog", "delete_postwork"),
    ("catalog", "view_postwork"),
    # People discussed in the post (mentions), linked from the editor.
    ("catalog", "add_postmention"),
    ("catalog", "change_postmention"),
    ("catalog", "delete_postmention"),
    ("catalog", "view_postmention"),
    ("media", "view_image"),
    ("series", "view_series"),
    ("series", "view_seriespart"),
    *_READ_CATALOG,
)
_PUBLISH_OWN = (
    ("posts", "publish_post"),
    ("media", "add_image"),
    ("media", "change_image"),
    ("catalog", "add_work"),
    ("catalog", "add_person"),
    ("series", "add_series"),
    ("series", "change_series"),
    ("series", "add_seriespart"),
    ("series", "change_seriespart"),
    ("discussion", "moderate_own_comment"),
)
_EDIT_EVERYTHING = (
    ("posts", "*"),
    ("catalog", "*"),
    ("series", "*"),
    ("media", "*"),
    ("discussion", "*"),
    ("subscriptions", "view_subscriber"),
    ("subscriptions", "view_follow"),
)

ROLES: tuple[Role, ...] = (
    Role(
        "contributor",
        _("Contributor"),
        _("Writes drafts and submits them for review; cannot publish."),
        _WRITE_OWN,
    ),
    Role(
        "author",
        _("Author"),
        _(
            "Publishes and manages their own posts and the comments on them, "
            "and uploads images."
        ),
        _WRITE_OWN + _PUBLISH_OWN,
    ),
    Role(
        "editor",
        _("Editor"),
        _("Publishes and manages every post, comment, term, work and series."),
        _WRITE_OWN + _PUBLISH_OWN + _EDIT_EVERYTHING,
        withheld=(
            ("discussion", "add_discussionsettings"),
            ("discussion", "change_discussionsettings"),
            ("discussion", "delete_discussionsettings"),
        ),
    ),
    Role(
        "administrator",
        _("Administrator"),
        _("Everything, including settings, redirects and accounts."),
        (("*", "*"),),
    ),
)
BY_SLUG = {role.slug: role for role in ROLES}


def _permissions_for(role: Role):
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    if ("*", "*") in role.grants:
        return Permission.objects.all()

    def matching(grants):
        found = Q(pk__in=[])
        for app_label, codename in grants:
            if codename == "*":
                found |= Q(content_type__app_label=app_label)
            else:
                found |= Q(content_type__app_label=app_label, codename=codename)
        return found

    chosen = Permission.objects.filter(matching(role.grants))
    if role.withheld:
        chosen = chosen.exclude(matching(role.withheld))
    return chosen


def sync_role_groups(app_config=None, **kwargs) -> None:
    """Make each role's group hold exactly its permissions.

    Connected to ``post_migrate``, which ``migrate`` and ``flush`` send once
    per app, each app's permissions being created in its own round: the
    groups are built once, in the last round, when every permission exists.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group

    if app_config is not None:
        with_models = [c for c in apps.get_app_configs() if c.models_module]
        if with_models and app_config is not with_models[-1]:
            return

    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set(_permissions_for(role))


def role_of(user) -> Role | None:
    """The highest role a user holds (a superuser is an administrator)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return BY_SLUG["administrator"]
    cached = getattr(user, "_afterword_role", False)
    if cached is not False:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    found = next((r for r in reversed(ROLES) if r.group_name in names), None)
    user._afterword_role = found
    return found


def administrators():
    """Active accounts holding the administrator role (superusers included)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(groups__name=BY_SLUG["administrator"].group_name),
            is_active=True,
        )
        .distinct()
    )
