from django.apps import AppConfig


class InstanceConfig(AppConfig):
    name = "afterword.instance"
    label = "instance"
    verbose_name = "Installation"
