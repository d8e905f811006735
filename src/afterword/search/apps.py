from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "afterword.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from afterword.posts.signals import content_changed, posts_changed

        from .receivers import update_index, update_index_many

        content_changed.connect(update_index, dispatch_uid="search.update_index")
        posts_changed.connect(update_index_many, dispatch_uid="search.update_many")
