from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "afterword.portability"
    label = "portability"
