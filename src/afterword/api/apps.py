from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "afterword.api"
    label = "api"
    verbose_name = "API"
