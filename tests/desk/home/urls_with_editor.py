"""The site's URLs plus a desk editor address, as the editor screen will add.

Used to check that the home links to the desk's editor once it is mounted.
"""

from django.http import HttpResponse
from django.urls import include, path

from afterword.config import urls as site_urls
from afterword.desk import urls as desk_urls


def editor_page(request, pk):
    return HttpResponse(f"editor for {pk}")


desk_with_editor = (
    [*desk_urls.urlpatterns, path("write/<int:pk>/", editor_page, name="edit_post")],
    "desk",
)
urlpatterns = [
    path("desk/", include(desk_with_editor)),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler500 = site_urls.handler500
