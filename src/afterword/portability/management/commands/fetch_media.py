"""``afterword fetch-media``: download attachments an import left at their address."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from afterword.portability.fetching import fetch_all


class Command(BaseCommand):
    help = (
        "Download the imported attachments that are still at their original"
        " (http or https) address into the media library, and use them in posts."
    )

    def handle(self, *args, **options) -> None:
        report = fetch_all()
        self.stdout.write(
            f"Fetched {report.fetched} files; updated {report.posts_updated} posts."
        )
        for failure in report.failed:
            self.stdout.write(f"  - not fetched: {failure}")
