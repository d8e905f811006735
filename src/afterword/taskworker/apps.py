from django.apps import AppConfig


class TaskWorkerConfig(AppConfig):
    name = "afterword.taskworker"
    label = "taskworker"
    verbose_name = "Task workers"
