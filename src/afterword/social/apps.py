from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "afterword.social"
    label = "social"
    verbose_name = "Social login"

    def ready(self) -> None:
        from allauth.account.models import EmailAddress, EmailConfirmation
        from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

        from afterword.core import actions, changes

        from . import actions as social_actions
        from .models import MastodonApp

        changes.public(SocialApp, shown_on="the login buttons of every comment form")
        actions.for_model(
            SocialApp,
            save=social_actions.SaveLoginProvider,
            delete=social_actions.DeleteLoginProvider,
        )
        for model, reason in (
            (EmailAddress, "readers' and writers' email addresses"),
            (EmailConfirmation, "pending email confirmations"),
            (SocialAccount, "which provider account a user signed in with"),
            (SocialToken, "provider access tokens"),
            (MastodonApp, "our app's registration on each Mastodon server"),
        ):
            changes.internal(model, reason=reason)
