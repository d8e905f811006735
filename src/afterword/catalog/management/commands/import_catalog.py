"""``afterword import_catalog FILE``: add or update catalog rows from JSON or CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from afterword.catalog.importing import KINDS, FileError, import_file


class Command(BaseCommand):
    help = (
        "Import works, people, organisations, credits, releases and relations "
        "from a JSON file or a CSV file (one kind per CSV file). Rows are matched "
        "by slug, so importing again updates rather than duplicates."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["json", "csv"], default="")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            default="",
            help="For CSV: the kind of rows (default: the file name, e.g. works.csv).",
        )

    def handle(self, *args, file: Path, format: str, kind: str, **options) -> None:
        try:
            report = import_file(file, fmt=format, kind=kind)
        except FileError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.rejected:
            self.stderr.write(
                f"{len(report.rejected)} row(s) rejected; the other rows were imported."
            )
