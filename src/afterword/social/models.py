"""Applications registered on Mastodon servers, one per server."""

from django.db import models
from django.utils import timezone


class MastodonApp(models.Model):
    instance = models.CharField(
        max_length=253, unique=True, help_text="Host name, e.g. mastodon.social"
    )
    client_id = models.CharField(max_length=200)
    client_secret = models.CharField(max_length=200)
    redirect_uri = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "Mastodon server"

    def __str__(self) -> str:
        return self.instance
