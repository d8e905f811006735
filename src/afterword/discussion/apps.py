from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "afterword.discussion"
    label = "discussion"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from . import receivers

        user_logged_in.connect(receivers.remember_login_provider)
        # Which provider icons to show is cached; forget it when apps change.
        from allauth.socialaccount.models import SocialApp

        post_save.connect(receivers.forget_providers, sender=SocialApp)
        post_delete.connect(receivers.forget_providers, sender=SocialApp)
