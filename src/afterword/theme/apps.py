from django.apps import AppConfig


class ThemeConfig(AppConfig):
    name = "afterword.theme"
    label = "theme"
