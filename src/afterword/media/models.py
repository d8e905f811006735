"""The media library: uploaded images and their generated WebP renditions."""

from django.conf import settings
from django.db import models


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    mime_type = models.CharField(max_length=32, editable=False)
    bytes = models.PositiveBigIntegerField(default=0, editable=False)
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    title = models.CharField(max_length=200, blank=True)
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "Describes the image for people who cannot see it. "
            "Required before a post using it is published."
        ),
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        return self.file.url


class Rendition(models.Model):
    """A resized WebP copy of an image, one per width in ``srcset``."""

    image = models.ForeignKey(
        Image, related_name="renditions", on_delete=models.CASCADE
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to="renditions/%Y/%m/")

    class Meta:
        ordering = ["width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "width"], name="one_rendition_per_width"
            )
        ]

    def __str__(self) -> str:
        return f"{self.image} @ {self.width}w"
