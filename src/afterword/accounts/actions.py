"""Changing accounts: a writer's public profile shows on every post they wrote.

The admin's user screens save and delete through these (``core.admin``);
importers create authors through :class:`SaveAccount` too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from afterword.core.actions import Action, DeleteObject, SaveObject

from . import roles


class SaveAccount(SaveObject):
    """Create or change an account and its public profile."""

    name = "accounts.save_account"

    def validate(self) -> None:
        # The password is set (hashed) by the forms that change it.
        self.instance.full_clean(exclude=["password"])


class DeleteAccount(DeleteObject):
    """Delete an account; refused while it is the author of posts."""

    name = "accounts.delete_account"

    def check(self) -> None:
        super().check()
        if self.instance.posts.exists():
            raise ValidationError(
                _(
                    "%(account)s wrote posts: give their posts to another author "
                    "(or delete them) first, or make the account inactive instead."
                )
                % {"account": self.instance}
            )

    def execute(self):
        try:
            return super().execute()
        except ProtectedError as error:
            raise ValidationError(
                _("This account still has content that cannot be deleted with it.")
            ) from error


class SetRole(Action):
    """Give an account one of the four roles (or none: a reader again).

    Only an administrator may hand out roles, and nobody can take the role
    away from the last active administrator.
    """

    name = "accounts.set_role"
    permission = "accounts.change_user"

    def __init__(self, account, role: str | None, *, user=None):
        super().__init__(user=user)
        self.account = account
        self.role = roles.BY_SLUG.get(role) if role else None
        if role and self.role is None:
            raise ValidationError(
                _("There is no role called %(role)r.") % {"role": role}
            )

    def check(self) -> None:
        super().check()
        current = roles.role_of(self.account)
        if (
            current is not None
            and current.slug == "administrator"
            and (self.role is None or self.role.slug != "administrator")
            and roles.administrators().exclude(pk=self.account.pk).count() == 0
        ):
            raise ValidationError(
                _(
                    "This is the only administrator: make someone else an "
                    "administrator first."
                )
            )

    def execute(self):
        from django.contrib.auth.models import Group

        account = self.account
        role_groups = [role.group_name for role in roles.ROLES]
        account.groups.remove(*Group.objects.filter(name__in=role_groups))
        if self.role is not None:
            group, _created = Group.objects.get_or_create(name=self.role.group_name)
            account.groups.add(group)
        account.is_staff = self.role is not None or account.is_superuser
        if self.role is None or self.role.slug != "administrator":
            account.is_superuser = False
        account.save(update_fields=["is_staff", "is_superuser"])
        account.__dict__.pop("_afterword_role", None)
        for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            account.__dict__.pop(cache, None)
        return account


class SetDeskLanguage(Action):
    """Choose the language of one's own desk (blank: the site's language).

    Anyone may change their own; changing another account's needs the right
    to change accounts. Public pages never use it, so the page cache is left
    alone (``desk_language`` is a quiet field in ``apps.py``).
    """

    name = "accounts.set_desk_language"

    def __init__(self, account, language: str, *, user=None):
        super().__init__(user=user)
        self.account = account
        self.language = language or ""

    def required_permission(self) -> str:
        if self.user is not None and self.user.pk == self.account.pk:
            return ""
        return "accounts.change_user"

    def check(self) -> None:
        super().check()
        codes = [code for code, _label in settings.LANGUAGES]
        if self.language and self.language not in codes:
            raise ValidationError(
                _("%(language)s is not one of the site's languages."),
                params={"language": self.language},
            )

    def execute(self):
        self.account.desk_language = self.language
        self.account.save(update_fields=["desk_language"])
        return self.account


class CreateWriter(Action):
    """Open an account for a new writer, with a role and a first password.

    The password is given by the caller (the desk generates one and shows it
    once); the writer changes it after signing in. Only someone who may add
    accounts and hand out roles may do this.
    """

    name = "accounts.create_writer"
    permission = "accounts.add_user"

    def __init__(self, account, role: str, password: str, *, user=None):
        super().__init__(user=user)
        self.account = account
        self.set_role = SetRole(account, role, user=user)
        self.password = password

    def check(self) -> None:
        super().check()
        if self.account.pk is not None:
            raise ValidationError("This account exists already.")
        if self.set_role.role is None:
            raise ValidationError({"role": "Choose the writer's role."})
        self.account.full_clean(exclude=["password"])
        # Only the permission half of SetRole's check: a new account is
        # nobody's last administrator.
        Action.check(self.set_role)

    def execute(self):
        self.account.set_password(self.password)
        self.account.save()
        return self.set_role.execute()
