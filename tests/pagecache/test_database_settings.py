"""The default SQLite database runs in WAL mode with a busy timeout."""

from __future__ import annotations

from django.db.utils import ConnectionHandler

from afterword.config import environment


def test_file_sqlite_database_uses_wal_and_a_busy_timeout(
    monkeypatch, tmp_path, django_db_blocker
):
    """A connection to a fresh file database, made from the default settings."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    handler = ConnectionHandler({"default": environment.database(tmp_path)})
    connection = handler["default"]
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] >= 5000
        finally:
            connection.close()
    assert (tmp_path / "afterword.sqlite3").exists()
