from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "afterword.outbox"
    label = "outbox"
    verbose_name = "Email outbox"

    def ready(self) -> None:
        from afterword.core import changes
        from afterword.taskworker.signals import workers_lost

        from .models import OutgoingEmail
        from .tasks import requeue_lost

        changes.internal(OutgoingEmail, reason="queued and sent email")
        workers_lost.connect(requeue_lost, dispatch_uid="outbox-requeue-lost")
