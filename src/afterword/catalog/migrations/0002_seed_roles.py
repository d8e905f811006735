"""Seed the curated list of roles; writers can add more in the admin."""

from django.db import migrations

from afterword.catalog.roles import seed_roles


def seed(apps, schema_editor):
    seed_roles(apps.get_model("catalog", "Role"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
