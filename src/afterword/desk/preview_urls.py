"""The address a preview link opens: ``/preview/<token>/`` (config/urls.py)."""

from django.urls import path

from . import previews_views

app_name = "preview"

urlpatterns = [
    path("<str:token>/", previews_views.show_preview, name="show"),
]
