"""The desk's preview-link screen of one post: ``posts/<post_id>/previews/``.

Mounted under ``posts/`` so each pattern names its own ``post_id``.
"""

from django.urls import path

from . import previews_views

urlpatterns = [
    path("<int:post_id>/previews/", previews_views.preview_list, name="previews"),
    path(
        "<int:post_id>/previews/new/",
        previews_views.preview_create,
        name="preview_create",
    ),
    path(
        "<int:post_id>/previews/<int:link_id>/revoke/",
        previews_views.preview_revoke,
        name="preview_revoke",
    ),
]
