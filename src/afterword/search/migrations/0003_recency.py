"""Key SQLite's full-text table by each document's recency.

``SearchDocument.recency`` sorts documents as their publication does
(``models.recency_of``). FTS5 walks a word's matches in key order and can
start from a key, so with this key the newest matches of a common word are
read first and the documents not yet due are skipped by a range: no sort of
every match and no look-up of each match's document. The FTS table and its
triggers are made again around the new column (making the column unique
rebuilds the table on SQLite, which would drop the triggers anyway).
"""

import importlib

from django.db import migrations, models

from afterword.search.models import recency_of

full_text = importlib.import_module("afterword.search.migrations.0002_full_text")

# 0002's table and triggers, keyed by ``recency`` where they were by ``id``.
KEYED_BY_RECENCY = [
    sql.replace("content_rowid='id'", "content_rowid='recency'")
    .replace("new.id,", "new.recency,")
    .replace("old.id,", "old.recency,")
    for sql in full_text.SQLITE_FORWARDS
]


def fill_recency(apps, schema_editor):
    documents = apps.get_model("search", "SearchDocument")
    rows = documents.objects.order_by("pk").values_list("pk", "post_id", "published_at")
    changed = [
        documents(pk=pk, recency=recency_of(published_at, post_id))
        for pk, post_id, published_at in rows.iterator(chunk_size=2_000)
    ]
    documents.objects.bulk_update(changed, ["recency"], batch_size=2_000)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [
        full_text.RunSQLOn(
            "sqlite", full_text.SQLITE_BACKWARDS, full_text.SQLITE_FORWARDS
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="recency",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(fill_recency, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchdocument",
            name="recency",
            field=models.BigIntegerField(unique=True),
        ),
        full_text.RunSQLOn("sqlite", KEYED_BY_RECENCY, full_text.SQLITE_BACKWARDS),
    ]
