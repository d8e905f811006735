"""``afterword setup_site``: make a site ready to serve, safely re-runnable.

Migrates the database, collects static files, points the Sites framework at
``AFTERWORD_SITE_URL``, creates the admin user (printing its password the one
time it is made) and loads the demo content into a site that has no posts.
Running it again changes nothing that is already there and prints no password.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Migrate, collect static files, create the admin and load demo content."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Do not load the demo content, even into an empty site.",
        )

    def handle(self, *args, no_demo: bool = False, **options) -> None:
        self.stdout.write(f"Setting up the site in {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self._ensure_site()
        self._ensure_admin()
        if not no_demo:
            call_command("load_demo", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            f"Ready: {settings.SITE_URL}/ (admin: {settings.SITE_URL}/admin/)"
        )

    def _ensure_site(self) -> None:
        from django.contrib.sites.models import Site

        domain = urlparse(settings.SITE_URL).netloc
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
        )

    def _ensure_admin(self) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            return
        if user_model.objects.filter(username=ADMIN_USERNAME).exists():
            # Someone took the name without making it an administrator; do not
            # silently promote an account we did not create.
            self.stderr.write(
                f"A user named {ADMIN_USERNAME!r} exists but is not a superuser; "
                "create an administrator with `afterword createsuperuser`."
            )
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(
            username=ADMIN_USERNAME,
            email="admin@localhost",
            password=password,
            display_name="Site admin",
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Created the admin user.\n"
                f"  username: {ADMIN_USERNAME}\n"
                f"  password: {password}\n"
                "  This password is shown only this once: note it, or change it "
                f"at {settings.SITE_URL}/admin/password_change/ after signing in."
            )
        )
