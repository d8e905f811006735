from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "afterword.core"
    label = "core"
