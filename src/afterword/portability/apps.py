from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "afterword.portability"
    label = "portability"

    def ready(self) -> None:
        from afterword.core import changes
        from afterword.webmention import pings as webmention_pings

        from . import journal, pings
        from .models import ImportRecord, JournalEntry

        changes.internal(
            ImportRecord, reason="what each import made, to import again safely"
        )
        changes.internal(
            JournalEntry, reason="which public rows changed, for the static build"
        )
        changes.record_in_transaction(journal.note, uid="portability-journal")
        # Imported pingbacks show with the webmentions under their post.
        webmention_pings.register(pings.for_posts)
