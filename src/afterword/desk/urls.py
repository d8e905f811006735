"""The writer's desk, mounted at /desk/; each screen owns its own urls.py."""

from django.contrib import admin
from django.urls import include, path

from .access import advanced

app_name = "desk"

urlpatterns = [
    path("", include("afterword.desk.home.urls")),
    path("write/", include("afterword.desk.editor.urls")),
    path("comments/", include("afterword.desk.comments.urls")),
    path("catalog/", include("afterword.desk.catalog.urls")),
    path("series/", include("afterword.desk.series.urls")),
    path("followers/", include("afterword.desk.followers.urls")),
    path("fediverse/", include("afterword.desk.fediverse.urls")),
    path("appearance/", include("afterword.desk.appearance.urls")),
    path("settings/", include("afterword.desk.settings.urls")),
    path("posts/", include("afterword.desk.preview_manage_urls")),
    path("stats/", include("afterword.desk.figures.urls")),
    # Django's own list of every model, for superusers: the plumbing.
    path("advanced/", advanced(admin.site.index), name="advanced"),
]
