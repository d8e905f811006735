from django.apps import AppConfig


class IndieAuthConfig(AppConfig):
    name = "afterword.indieauth"
    label = "indieauth"
    verbose_name = "IndieAuth"
