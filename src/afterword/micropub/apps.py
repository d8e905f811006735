from django.apps import AppConfig


class MicropubConfig(AppConfig):
    name = "afterword.micropub"
    label = "micropub"
    verbose_name = "Micropub"

    def ready(self) -> None:
        from afterword.core import discovery

        from . import discovery as micropub_discovery

        discovery.register(micropub_discovery.links)
