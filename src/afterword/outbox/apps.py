from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "afterword.outbox"
    label = "outbox"
    verbose_name = "Email outbox"

    def ready(self) -> None:
        from afterword.taskworker.signals import workers_lost

        from .tasks import requeue_lost

        workers_lost.connect(requeue_lost, dispatch_uid="outbox-requeue-lost")
