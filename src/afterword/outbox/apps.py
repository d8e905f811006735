from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "afterword.outbox"
    label = "outbox"
    verbose_name = "Email outbox"

    def ready(self) -> None:
        from afterword.core import changes

        from .models import OutgoingEmail

        changes.internal(OutgoingEmail, reason="queued and sent email")
