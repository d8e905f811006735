from django.apps import AppConfig


class RedirectsConfig(AppConfig):
    name = "afterword.redirects"
    label = "redirects"
    verbose_name = "Redirects"

    def ready(self) -> None:
        from afterword.core import actions, changes
        from afterword.posts.signals import address_changed

        from . import actions as redirect_actions
        from .models import Redirect
        from .moves import on_address_changed

        changes.internal(
            Redirect,
            reason=(
                "answers only addresses that are a 404 otherwise, and neither a "
                "404 nor a redirect is kept by the page cache or written as a "
                "page file, so no stored page shows a redirect"
            ),
        )
        actions.for_model(
            Redirect,
            save=redirect_actions.SaveRedirect,
            delete=redirect_actions.DeleteRedirect,
        )
        address_changed.connect(on_address_changed, dispatch_uid="redirects-moves")
