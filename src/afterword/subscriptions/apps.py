from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "afterword.subscriptions"
    label = "subscriptions"
    verbose_name = "Followers"

    def ready(self) -> None:
        from afterword.posts.signals import post_went_live

        from .receivers import post_went_live as notify_followers

        post_went_live.connect(notify_followers, dispatch_uid="subscriptions-notify")
