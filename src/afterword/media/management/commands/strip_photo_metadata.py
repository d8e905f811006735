from django.core.management.base import BaseCommand, CommandError

from afterword.core.camera_data import keep_camera_data
from afterword.media.strip_existing import strip_stored_files


class Command(BaseCommand):
    help = (
        "Re-encode stored images (library originals, renditions, avatars) that "
        "still carry camera data: EXIF GPS, serial numbers, XMP, comments. "
        "Files keep their names and addresses; clean files are left alone, "
        "so it is safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list the files that carry camera data; change nothing.",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_files",
            help="Print the name of each file re-encoded.",
        )

    def handle(self, *args, dry_run: bool, list_files: bool, **options) -> None:
        if keep_camera_data():
            raise CommandError(
                "AFTERWORD_KEEP_CAMERA_DATA is on, so this site publishes camera "
                "data on purpose. Turn it off first, or new uploads would keep "
                "what this command removes."
            )
        show = dry_run or list_files
        report = strip_stored_files(
            dry_run=dry_run,
            progress=(lambda name: self.stdout.write(f"  {name}")) if show else None,
        )
        verb = "carry camera data" if dry_run else "re-encoded without camera data"
        for label, tally in (
            ("Library originals", report.originals),
            ("Renditions", report.renditions),
            ("Avatars", report.avatars),
        ):
            self.stdout.write(
                f"{label}: {tally.checked} checked, {tally.stripped} {verb}."
            )
        for name, reason in report.failed:
            self.stderr.write(f"Left as it was: {name}: {reason}")
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} file(s) could not be checked; "
                "everything else was."
            )
