"""URLs of the desk's settings screens."""

from django.urls import path

from .language import language

urlpatterns: list = [
    path("language/", language, name="language"),
]
