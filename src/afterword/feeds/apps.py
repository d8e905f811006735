from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "afterword.feeds"
    label = "feeds"
