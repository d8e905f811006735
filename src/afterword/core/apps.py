from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "afterword.core"
    label = "core"

    def ready(self) -> None:
        from django.core import checks

        from .clientip import check_trusted_proxies

        checks.register(check_trusted_proxies, checks.Tags.security)
