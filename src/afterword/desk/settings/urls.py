"""URLs of the desk's settings screens."""

from django.urls import path

from . import redirects

urlpatterns: list = [
    path("redirects/", redirects.screen, name="redirects"),
]
