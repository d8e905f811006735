"""The desk's figures, mounted at /desk/stats/ (desk/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.site, name="stats"),
    path("post/<int:post_id>/", views.post, name="post_stats"),
]
