"""The webmention app's addresses (mounted at the site root)."""

from django.urls import path

from . import views

app_name = "webmention"

urlpatterns = [
    path("webmention", views.endpoint, name="endpoint"),
]
