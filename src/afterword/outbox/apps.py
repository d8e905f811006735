from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "afterword.outbox"
    label = "outbox"
    verbose_name = "Email outbox"
