from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "afterword.federation"
    label = "federation"
    verbose_name = "Fediverse"
