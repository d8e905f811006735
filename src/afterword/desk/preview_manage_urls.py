"""The desk's preview-link screen of one post, under ``posts/<post_id>/previews/``."""

from django.urls import path

from . import previews_views

urlpatterns = [
    path("", previews_views.preview_list, name="previews"),
    path("new/", previews_views.preview_create, name="preview_create"),
    path("<int:link_id>/revoke/", previews_views.preview_revoke, name="preview_revoke"),
]
