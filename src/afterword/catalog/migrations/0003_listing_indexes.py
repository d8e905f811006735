"""Indexes for keyset listings: a work's posts from the work's side, and the
people and organisations indexes by name (core.keyset)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_seed_roles"),
        ("media", "0001_initial"),
        ("posts", "0006_listing_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["name", "id"], name="organisation_by_name"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name", "id"], name="person_by_name"),
        ),
        migrations.AddIndex(
            model_name="postwork",
            index=models.Index(fields=["work", "post"], name="post_work_by_work"),
        ),
    ]
