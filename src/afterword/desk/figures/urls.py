"""The desk's figures screens (counted by the stats app), at /desk/stats/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.site, name="stats"),
    path("post/<int:post_id>/", views.post, name="post_stats"),
]
