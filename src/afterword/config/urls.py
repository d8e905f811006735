"""The URL map: each app owns its own ``urls.py``; this file only mounts them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from afterword.core.lazyurls import include_when_asked
from afterword.desk.access import admin_home
from afterword.media.views import serve_media

urlpatterns = [
    path("", include("afterword.posts.urls")),
    # The admin's index opens the writer's desk (superusers find Django's own
    # list under the desk's "Advanced"); every other admin page is unchanged.
    path("admin/", admin_home),
    path("admin/", admin.site.urls),
    path("desk/", include("afterword.desk.urls")),
    path("preview/", include("afterword.desk.preview_urls")),
    path("stats/", include("afterword.stats.urls")),
    # Imported on the first API request: see core.lazyurls.
    include_when_asked("api/v1/", "afterword.api.urls", "api"),
    path("accounts/", include("allauth.urls")),
    path("", include("afterword.indieauth.urls")),
    path("", include("afterword.feeds.urls")),
    path("", include("afterword.search.urls")),
    path("", include("afterword.theme.urls")),
    path("", include("afterword.accounts.urls")),
    path("", include("afterword.discussion.urls")),
    path("", include("afterword.subscriptions.urls")),
    path("series/", include("afterword.series.urls")),
    path("catalog/", include("afterword.catalog.urls")),
    path("", include("afterword.micropub.urls")),
    path("", include("afterword.federation.urls")),
    path("", include("afterword.webmention.urls")),
    path("", include("afterword.posts.page_urls")),
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
        serve_media,
        name="media",
    ),
]

handler404 = "afterword.theme.views.page_not_found"
handler500 = "afterword.theme.views.server_error"
