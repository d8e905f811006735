"""Indexes for keyset listings: the orderings of the home, archive and author
pages, and the term tables read from the term's side (core.keyset)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_initial"),
        ("posts", "0005_post_trash"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["kind", "published_at", "id", "status", "visibility"],
                name="post_listing_order",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["kind", "sticky", "published_at", "id", "status", "visibility"],
                name="post_home_order",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["author", "kind", "published_at", "id", "status", "visibility"],
                name="post_author_order",
            ),
        ),
        migrations.RunSQL(
            "CREATE INDEX posts_post_tags_by_tag ON posts_post_tags (tag_id, post_id)",
            "DROP INDEX posts_post_tags_by_tag",
        ),
        migrations.RunSQL(
            "CREATE INDEX posts_post_categories_by_category"
            " ON posts_post_categories (category_id, post_id)",
            "DROP INDEX posts_post_categories_by_category",
        ),
    ]
