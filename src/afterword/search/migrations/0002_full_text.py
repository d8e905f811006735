"""Add each database's full-text machinery on top of ``SearchDocument``.

SQLite gets an external-content FTS5 table that reads its text from
``search_searchdocument`` and is kept in step by triggers. PostgreSQL gets a
weighted ``tsvector`` generated column and a GIN index. Raw SQL on both, so
``django.contrib.postgres`` is not needed.

A later migration that makes Django rebuild ``search_searchdocument`` on
SQLite (most ``AlterField`` operations) drops the triggers with the old table;
such a migration must create them again.
"""

from django.db import migrations

FTS = "search_searchdocument_fts"
DOC = "search_searchdocument"
COLUMNS = "title, summary, body, terms"
NEW_VALUES = "new.title, new.summary, new.body, new.terms"
OLD_VALUES = "old.title, old.summary, old.body, old.terms"

SQLITE_FORWARDS = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        {COLUMNS},
        content='{DOC}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOC} BEGIN
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW_VALUES});
    END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOC} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD_VALUES});
    END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE ON {DOC} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD_VALUES});
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW_VALUES});
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]

# Title weighs most (A), then the summary and the post's term names (B), then
# the body (C); ``ts_rank_cd`` uses these weights when ranking. Angle brackets
# become spaces because PostgreSQL's parser drops anything that looks like an
# HTML tag, and a review may well quote one as text.
POSTGRES_FORWARDS = [
    f"""ALTER TABLE {DOC} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig,
                  translate(coalesce(title, ''), '<>', '  ')), 'A')
        || setweight(to_tsvector('english'::regconfig, translate(
                  coalesce(summary, '') || ' ' || coalesce(terms, ''), '<>', '  ')), 'B')
        || setweight(to_tsvector('english'::regconfig,
                  translate(coalesce(body, ''), '<>', '  ')), 'C')
    ) STORED""",
    f"CREATE INDEX {DOC}_vector_idx ON {DOC} USING GIN (search_vector)",
]
POSTGRES_BACKWARDS = [
    f"DROP INDEX IF EXISTS {DOC}_vector_idx",
    f"ALTER TABLE {DOC} DROP COLUMN IF EXISTS search_vector",
]


class RunSQLOn(migrations.RunSQL):
    """``RunSQL`` that only runs on one database vendor."""

    def __init__(self, vendor, sql, reverse_sql, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, kwargs.pop("sql"), kwargs.pop("reverse_sql")], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        RunSQLOn("sqlite", SQLITE_FORWARDS, SQLITE_BACKWARDS),
        RunSQLOn("postgresql", POSTGRES_FORWARDS, POSTGRES_BACKWARDS),
    ]
