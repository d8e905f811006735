"""URLs of the desk's editor screens, mounted at /desk/write/."""

from django.urls import path
from django.views.decorators.http import require_POST

from afterword.media.views import upload_image
from afterword.posts.editor import preview

from ..access import desk_view
from . import autosave, lookups, views

urlpatterns = [
    path("", views.post_list, name="posts"),
    path("new/", views.new_post, name="new_post"),
    path("<int:post_id>/", views.edit_post, name="edit_post"),
    path("autosave/", autosave.autosave, name="editor_autosave"),
    # The same renderer and upload as the admin's editor: a preview shows
    # exactly what saving will store, an upload answers with figure Markdown.
    path(
        "preview/",
        require_POST(desk_view(views.WRITERS)(preview)),
        name="editor_preview",
    ),
    path(
        "upload/",
        require_POST(desk_view("media.add_image")(upload_image)),
        name="editor_upload",
    ),
    path("lookup/<slug:kind>/", lookups.lookup, name="editor_lookup"),
    path("create/<slug:kind>/", lookups.create, name="editor_create"),
]
