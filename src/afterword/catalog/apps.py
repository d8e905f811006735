"""The catalog app: works, people, credits, releases and the posts about them."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "afterword.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from afterword.posts.signals import content_changed, posts_changed

        from .services import on_content_changed, on_posts_changed

        content_changed.connect(on_content_changed, dispatch_uid="catalog-mentions")
        posts_changed.connect(on_posts_changed, dispatch_uid="catalog-mentions-many")
