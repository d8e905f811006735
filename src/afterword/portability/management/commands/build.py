"""``afterword build OUTDIR``: write the public site as static files."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from afterword.portability.outfolder import OutputFolderError
from afterword.portability.staticsite import (
    BuildOptions,
    build_site,
    check_links,
    clear,
)

# How many refused paths the command lists by name.
SHOWN = 10


class Command(BaseCommand):
    help = (
        "Write every public page, feed, media file and asset as static files;"
        " a second build rewrites only what changed. See docs/static.md."
    )
    # The system checks (`afterword check`, run by `migrate` and `serve`)
    # cost a fifth of a second, a sixth of a build after one edit.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("outdir", type=Path)
        links = parser.add_mutually_exclusive_group()
        links.add_argument(
            "--base-url", default="", help="Public address, e.g. https://example.org"
        )
        links.add_argument(
            "--relative", action="store_true", help="Write relative links."
        )
        comments = parser.add_mutually_exclusive_group()
        comments.add_argument(
            "--comments-endpoint",
            default="",
            help="A live Afterword site that comment forms post to.",
        )
        comments.add_argument(
            "--no-comment-form",
            action="store_true",
            help="Leave comment forms out (the default without an endpoint).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes rendering pages (default: one per CPU).",
        )
        parser.add_argument(
            "--clean", action="store_true", help="Delete OUTDIR's contents first."
        )
        parser.add_argument(
            "--check-links", action="store_true", help="Report broken internal links."
        )

    def handle(self, *args, **options) -> None:
        outdir: Path = options["outdir"]
        base_url = options["base_url"]
        if base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://")
        if options["clean"]:
            try:
                clear(outdir)
            except OutputFolderError as error:
                raise CommandError(str(error)) from None
        started = time.perf_counter()
        report = build_site(
            outdir,
            BuildOptions(
                base_url=base_url,
                relative=options["relative"],
                comments_endpoint=options["comments_endpoint"],
            ),
            workers=max(1, options["workers"]),
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Built {report.pages} pages in {seconds:.1f} s ({report.rendered}"
            f" rendered, the rest unchanged since the last build):"
            f" {report.written} files written, {report.unchanged} unchanged,"
            f" {report.removed} removed."
        )
        if report.refused:
            names = ", ".join(report.refused[:SHOWN])
            more = (
                f" and {len(report.refused) - SHOWN} more"
                if len(report.refused) > SHOWN
                else ""
            )
            self.stderr.write(
                f"Refused {len(report.refused)} paths outside {outdir} (from links"
                f" or the last build's manifest); nothing was written or deleted"
                f" there: {names}{more}."
            )
        if options["check_links"]:
            broken = check_links(outdir, urlsplit(base_url).path.rstrip("/"))
            for line in broken:
                self.stdout.write(f"  broken link: {line}")
            self.stdout.write(f"Link check: {len(broken)} broken links.")
