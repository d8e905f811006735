"""Indexes for the desk's list of posts, newest changed first."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_initial"),
        ("posts", "0006_listing_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["kind", "updated_at", "id", "status"], name="post_desk_order"
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["author", "kind", "updated_at", "id", "status"],
                name="post_desk_author_order",
            ),
        ),
    ]
