"""``afterword export_catalog``: write the catalog as JSON, or as CSV files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from afterword.catalog.importing import KINDS, csv_format, json_format
from afterword.catalog.importing.export import catalog_records


class Command(BaseCommand):
    help = (
        "Export the catalog. JSON goes to standard output (or --output FILE); "
        "CSV writes one file per kind into the --output folder."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args, format: str, output: Path | None, **options) -> None:
        records = catalog_records()
        if format == "json":
            text = json_format.dump(records)
            if output:
                output.write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if output is None:
            raise CommandError("CSV export needs --output FOLDER (one file per kind).")
        output.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            (output / f"{kind}.csv").write_text(
                csv_format.dump(kind, records[kind]), encoding="utf-8"
            )
            self.stdout.write(f"{kind}: {len(records[kind])} row(s) -> {kind}.csv")
