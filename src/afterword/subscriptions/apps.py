from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "afterword.subscriptions"
    label = "subscriptions"
    verbose_name = "Followers"

    def ready(self) -> None:
        from afterword.core import changes
        from afterword.posts.signals import post_went_live

        from .models import DigestRun, FanOut, Follow, Subscriber

        changes.internal(Subscriber, reason="followers' email addresses")
        changes.internal(Follow, reason="what each follower follows")
        changes.internal(FanOut, reason="progress of emailing followers about a post")
        changes.internal(DigestRun, reason="progress of the weekly digests")

        from .receivers import post_went_live as notify_followers

        post_went_live.connect(notify_followers, dispatch_uid="subscriptions-notify")
