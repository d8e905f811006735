"""``afterword export ARCHIVE``: a complete backup of the site in one zip file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from afterword.portability.exporters.backup import BackupError, export_backup


class Command(BaseCommand):
    help = (
        "Write a complete, versioned backup (every row and every media file) to"
        " one zip archive; see docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **options) -> None:
        try:
            summary = export_backup(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wrote {options['archive']}: {summary.rows} rows, {summary.files} files."
        )
