from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "afterword.portability"
    label = "portability"

    def ready(self) -> None:
        from afterword.core import changes
        from afterword.webmention import pings as webmention_pings

        from . import pings
        from .models import ImportRecord

        changes.internal(
            ImportRecord, reason="what each import made, to import again safely"
        )
        # Imported pingbacks show with the webmentions under their post.
        webmention_pings.register(pings.for_posts)
