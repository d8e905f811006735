from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "afterword.media"
    label = "media"
