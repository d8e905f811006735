from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "afterword.credentials"
    label = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from afterword.core import changes

        from .models import AccessToken, AppPassword, AuthorizationCode

        reason = (
            "a secret of one writer's, shown once and kept only as a hash; "
            "no page ever shows it"
        )
        for model in (AppPassword, AccessToken, AuthorizationCode):
            changes.internal(model, reason=reason)
