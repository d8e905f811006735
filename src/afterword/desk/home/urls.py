"""URLs of the desk's home."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("quick-draft/", views.quick_draft, name="home_quick_draft"),
    path(
        "held-comments/<int:pk>/",
        views.comment_action,
        name="home_comment_action",
    ),
]
