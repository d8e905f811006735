"""URLs of the desk's Appearance screen."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.appearance, name="appearance"),
]
