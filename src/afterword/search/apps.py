from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "afterword.search"
    label = "search"
