"""Store each post's spoiler-free feed HTML, and re-render what was stored.

Posts saved before this migration have a lead figure that was cut out of the
page HTML by a regular expression (it could be a figure inside a spoiler),
spoilers without ids, and no feed HTML. Every post's stored HTML is rendered
again here, from its Markdown, through the current pipeline: that is the
point of the migration. Its lookups (library images, catalog references) read
only columns that exist since their apps' first migrations. Nothing else is
changed: no revision, no announcement (the page cache starts afresh on its
own when the code changes).
"""

from django.db import migrations, models

BATCH = 200
FIELDS = ["body_html", "feed_html", "lead_figure_html"]


def rerender(apps, schema_editor):
    from afterword.core.markdown import render_markdown
    from afterword.media.services import describe_image

    Post = apps.get_model("posts", "Post")
    # Read in chunks by primary key rather than through one open cursor:
    # SQLite does not isolate a cursor from the updates made beside it.
    pks = list(Post.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        chunk = Post.objects.filter(pk__in=pks[start : start + BATCH])
        posts = list(chunk.only("pk", "body", *FIELDS))
        for post in posts:
            rendered = render_markdown(post.body, image_resolver=describe_image)
            post.body_html = rendered.html
            post.feed_html = rendered.spoiler_free_html
            post.lead_figure_html = rendered.lead_figure_html
        Post.objects.bulk_update(posts, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0002_lead_figure"),
        # References to the catalog are resolved while rendering.
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="feed_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]
