from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "afterword.portability"
    label = "portability"

    def ready(self) -> None:
        from afterword.core import changes

        from .models import ImportRecord

        changes.internal(
            ImportRecord, reason="what each import made, to import again safely"
        )
