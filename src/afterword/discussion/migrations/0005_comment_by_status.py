"""An index for the desk's comment tabs and their capped counts."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0004_fediverse_author"),
        ("posts", "0006_listing_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["status", "created_at", "id"], name="comment_by_status"
            ),
        ),
    ]
