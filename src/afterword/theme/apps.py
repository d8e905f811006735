from django.apps import AppConfig


class ThemeConfig(AppConfig):
    name = "afterword.theme"
    label = "theme"

    def ready(self) -> None:
        from afterword.core import actions, changes

        from . import actions as theme_actions
        from .models import SiteAppearance
        from .receivers import forget_appearance

        changes.public(
            SiteAppearance,
            shown_on="every public page: title, tagline, accent, footer, scheme",
        )
        actions.for_model(
            SiteAppearance, save=theme_actions.SaveAppearance, delete=None
        )
        changes.subscribe(forget_appearance, uid="theme-appearance")
