"""``afterword import-wxr FILE``: bring a WordPress export into this site."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from afterword.portability.importers.base import ImportFileError
from afterword.portability.importers.wxr import WXRReader
from afterword.portability.importing import ImportOptions, run_import


class Command(BaseCommand):
    help = (
        "Import a WordPress export file (WXR 1.0-1.2): authors, terms, posts, pages,"
        " comments and attachments. Running it again creates nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media",
            type=Path,
            help="A copy of wp-content/uploads: attachments are copied from it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report everything, then save nothing.",
        )
        parser.add_argument(
            "--include-trashed",
            action="store_true",
            help="Import trashed posts too (as drafts).",
        )
        parser.add_argument(
            "--skip-pings",
            action="store_true",
            help="Leave out pingbacks and trackbacks.",
        )

    def handle(self, *args, **options) -> None:
        settings = ImportOptions(
            media_dir=options["media"],
            dry_run=options["dry_run"],
            include_trashed=options["include_trashed"],
            skip_pings=options["skip_pings"],
        )
        try:
            report = run_import(
                WXRReader(options["file"]), settings, progress_stream=self.stderr._out
            )
        except ImportFileError as error:
            raise CommandError(
                f"Import refused, nothing was changed: {error}"
            ) from None
        for line in report.lines():
            self.stdout.write(line)
