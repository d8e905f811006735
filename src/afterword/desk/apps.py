from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "afterword.desk"
    label = "desk"
    verbose_name = "Writer's desk"

    def ready(self) -> None:
        from afterword.core import changes

        from .models import Autosave, PreviewLink

        changes.internal(
            Autosave, reason="unsaved editor text, seen only by its writer"
        )
        changes.internal(
            PreviewLink, reason="private links to drafts; the page is never cached"
        )
