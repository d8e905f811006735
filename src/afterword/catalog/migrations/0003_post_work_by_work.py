"""An index for a work page's posts, read from the work's side (core.keyset)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_seed_roles"),
        ("posts", "0006_listing_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="postwork",
            index=models.Index(fields=["work", "post"], name="post_work_by_work"),
        ),
    ]
