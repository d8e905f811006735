from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "afterword.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from afterword.posts.signals import content_changed

        from .state import content_changed_receiver

        # Whatever changed (a post, a comment, a series), start a new version.
        content_changed.connect(
            content_changed_receiver, dispatch_uid="pagecache-new-version"
        )
