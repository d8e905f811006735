from django.apps import AppConfig


class IndieAuthConfig(AppConfig):
    name = "afterword.indieauth"
    label = "indieauth"
    verbose_name = "IndieAuth"

    def ready(self) -> None:
        from afterword.core import discovery

        from . import discovery as indieauth_discovery

        discovery.register(indieauth_discovery.links)
