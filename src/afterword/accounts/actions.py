"""Changing accounts: a writer's public profile shows on every post they wrote.

The admin's user screens save and delete through these (``core.admin``);
importers create authors through :class:`SaveAccount` too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from afterword.core.actions import DeleteObject, SaveObject


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
                f"{self.instance} wrote posts: give their posts to another author "
                "(or delete them) first, or make the account inactive instead."
            )

    def execute(self):
        try:
            return super().execute()
        except ProtectedError as error:
            raise ValidationError(
                "This account still has content that cannot be deleted with it."
            ) from error
