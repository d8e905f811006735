"""``afterword export-wxr OUTFILE``: the site as a WordPress export file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from afterword.portability.exporters.wxr import export_wxr


class Command(BaseCommand):
    help = (
        "Write every post, page, comment, term and author as a WordPress export"
        " (WXR 1.2) that WordPress's importer, or Afterword's, can read."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("outfile", type=Path)

    def handle(self, *args, **options) -> None:
        target: Path = options["outfile"]
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        partial = target.with_name(target.name + ".part")
        with partial.open("w", encoding="utf-8") as out:
            counts = export_wxr(out)
        # Renamed only once complete: a failed export never leaves a half file.
        partial.replace(target)
        self.stdout.write(
            f"Wrote {target}: {counts['posts']} posts and pages,"
            f" {counts['comments']} comments, {counts['attachments']} attachments."
        )
