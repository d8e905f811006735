"""Writers and readers: one user model for both, with a public profile."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from afterword.core.urls import cached_reverse

from .avatars import AvatarField


def desk_language_choices() -> list[tuple[str, str]]:
    """The languages the site ships (settings.LANGUAGES); blank: the site's."""
    return list(settings.LANGUAGES)


class User(AbstractUser):
    display_name = models.CharField(max_length=150, blank=True)
    bio = models.TextField(
        blank=True, help_text=_("Markdown; shown on the profile page.")
    )
    # Stored re-encoded without camera data (GPS, serial numbers): avatars.py.
    avatar = AvatarField(upload_to="avatars/%Y/", blank=True)
    website = models.URLField(blank=True)
    # [{"label": "Mastodon", "url": "https://..."}]: rendered with rel="me".
    profile_links = models.JSONField(default=list, blank=True)
    contact_enabled = models.BooleanField(
        default=True, help_text=_("Let readers write to you through the contact form.")
    )
    # The desk's and the admin's language for this writer; blank follows the
    # site's language (AFTERWORD_LANGUAGE). Public pages never use it.
    desk_language = models.CharField(
        _("desk language"),
        max_length=12,
        blank=True,
        default="",
        # In the table too, so rows written by code that predates the field
        # (an older migration's state, a restored backup) still fit.
        db_default="",
        choices=desk_language_choices,
    )

    class Meta:
        db_table = "accounts_user"

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return cached_reverse("posts:author", username=self.username)
