"""URLs of the desk's Fediverse screen."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.screen, name="fediverse"),
]
