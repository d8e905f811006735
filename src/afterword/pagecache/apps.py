from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "afterword.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from afterword.core import changes, memo

        from .fragments import remember_when_enabled
        from .state import on_public_changes

        # Whatever public row changed (a post, a comment, a tag, an author's
        # name), start a new version: see core.changes for how rows are seen.
        changes.subscribe(on_public_changes, uid="pagecache-new-version")
        # Values that depend on content only (listings' page boundaries, a
        # work's suggestions) are computed once per content version.
        memo.use(remember_when_enabled)
