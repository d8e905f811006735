from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class PagecacheConfig(AppConfig):
    name = "afterword.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from afterword.posts.signals import content_changed, posts_changed

        from .state import content_changed_receiver, profile_saved_receiver

        # Whatever changed (a post, a comment, a series), start a new version.
        content_changed.connect(
            content_changed_receiver, dispatch_uid="pagecache-new-version"
        )
        posts_changed.connect(
            content_changed_receiver, dispatch_uid="pagecache-new-version-batch"
        )
        # Author names, bios and avatars show on every post; the accounts app
        # sits left of posts and sends no content signal, so listen here.
        post_save.connect(
            profile_saved_receiver,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="pagecache-profile-saved",
        )
