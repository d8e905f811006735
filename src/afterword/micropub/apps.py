from django.apps import AppConfig


class MicropubConfig(AppConfig):
    name = "afterword.micropub"
    label = "micropub"
    verbose_name = "Micropub"
