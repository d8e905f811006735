"""``afterword setup_site``: make a site ready to serve, safely re-runnable.

Migrates, collects static files, loads the demo content into an empty site
and creates the admin user (printing its password the one time it is made).
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, collect static files, create the admin and load demo content once."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args, no_demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self._ensure_site()
        self._ensure_admin()
        if not no_demo:
            call_command("load_demo")

    def _ensure_site(self):
        from django.conf import settings
        from django.contrib.sites.models import Site
        from urllib.parse import urlparse

        domain = urlparse(settings.SITE_URL).netloc
        Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME})

    def _ensure_admin(self):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username="admin", email="admin@localhost", password=password, display_name="Site Admin"
        )
        self.stdout.write(self.style.SUCCESS(
            f"Created the admin user.\n  username: admin\n  password: {password}\n"
            "  (shown only this once; change it at /admin/password_change/)"
        ))
