"""An index for the works index and the desk's list of works, by title."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_listing_indexes"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="work",
            index=models.Index(fields=["title", "year", "id"], name="work_by_title"),
        ),
    ]
