from django.apps import AppConfig


class TaskWorkerConfig(AppConfig):
    name = "afterword.taskworker"
    label = "taskworker"
    verbose_name = "Task workers"

    def ready(self) -> None:
        from afterword.core import changes

        from .models import WorkerLease

        changes.internal(WorkerLease, reason="which task workers are alive")
