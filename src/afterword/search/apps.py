from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "afterword.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from afterword.core import changes

        from .models import SearchDocument
        from .receivers import on_public_changes

        changes.internal(SearchDocument, reason="derived from posts, re-read on change")
        changes.subscribe(on_public_changes, uid="search-index")
