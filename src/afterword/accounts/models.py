"""Writers and readers: one user model for both, with a public profile."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from afterword.core.urls import cached_reverse

from .avatars import AvatarField


class User(AbstractUser):
    display_name = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown; shown on the profile page.")
    # Stored re-encoded without camera data (GPS, serial numbers): avatars.py.
    avatar = AvatarField(upload_to="avatars/%Y/", blank=True)
    website = models.URLField(blank=True)
    # [{"label": "Mastodon", "url": "https://..."}]: rendered with rel="me".
    profile_links = models.JSONField(default=list, blank=True)
    contact_enabled = models.BooleanField(
        default=True, help_text="Let readers write to you through the contact form."
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
