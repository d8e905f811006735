"""``afterword app-password create|list|revoke``: application passwords from a shell."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from afterword.credentials import scopes as scope_names
from afterword.credentials.actions import CreateAppPassword, RevokeAppPassword
from afterword.credentials.models import AppPassword


class Command(BaseCommand):
    help = (
        "Make, list or revoke a writer's application passwords (for the API and "
        "Micropub). `create USERNAME NAME` prints the new password alone on its "
        "last line; it is shown only once."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Make a new application password.")
        create.add_argument("username")
        create.add_argument(
            "name", help="What it is for, e.g. 'iA Writer on my laptop'."
        )
        create.add_argument(
            "--scope",
            action="append",
            choices=sorted(scope_names.ALL),
            help="Limit it to these scopes (repeatable); all five by default.",
        )
        listing = sub.add_parser("list", help="List application passwords.")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="Revoke one by its id (see list).")
        revoke.add_argument("id", type=int)

    def handle(self, *args, verb: str, **options):
        return getattr(self, f"handle_{verb}")(**options)

    def handle_create(self, *, username, name, scope=None, **options):
        owner = self._user(username)
        try:
            row, plain = CreateAppPassword(
                owner, name, scopes=scope or scope_names.ALL
            ).run()
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(
                " ".join(getattr(error, "messages", [str(error)]))
            ) from None
        self.stdout.write(
            f"Application password {row.pk} “{row.name}” for {username} "
            f"(scopes: {row.scopes}). It is shown only this once:"
        )
        self.stdout.write(plain)

    def handle_list(self, *, username=None, **options):
        rows = AppPassword.objects.select_related("user").order_by(
            "user__username", "pk"
        )
        if username:
            rows = rows.filter(user=self._user(username))
        found = False
        for row in rows:
            found = True
            state = (
                "revoked " + f"{row.revoked_at:%Y-%m-%d}"
                if row.revoked_at
                else "active"
            )
            used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
            self.stdout.write(
                f"{row.pk}\t{row.user.username}\t{row.name}\t{row.scopes}\t"
                f"created {row.created_at:%Y-%m-%d}\tlast used {used}\t{state}"
            )
        if not found:
            self.stdout.write("No application passwords.")

    def handle_revoke(self, *, id, **options):
        row = AppPassword.objects.filter(pk=id).select_related("user").first()
        if row is None:
            raise CommandError(f"There is no application password {id}.")
        RevokeAppPassword(row).run()
        self.stdout.write(f"Revoked application password {row.pk} “{row.name}”.")

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}.")
        return user
