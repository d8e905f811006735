"""``afterword restore ARCHIVE``: a backup into a new, empty site, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from afterword.portability.exporters.backup import BackupError
from afterword.portability.exporters.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `afterword export` into an empty site (refused"
        " when the site already has users or posts); see docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **options) -> None:
        try:
            summary = restore_backup(options["archive"])
        except BackupError as error:
            raise CommandError(f"Restore refused: {error}") from None
        except KeyboardInterrupt:
            raise CommandError("Restore interrupted; nothing was changed.") from None
        self.stdout.write(
            f"Restored {summary.rows} rows and {summary.files} files"
            f" from {options['archive']}."
        )
