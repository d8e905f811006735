from django.core.management.base import BaseCommand

from afterword.search.services import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from every published and scheduled post."

    def handle(self, *args, **options) -> None:
        count = rebuild_index()
        self.stdout.write(f"Indexed {count} posts and pages.")
