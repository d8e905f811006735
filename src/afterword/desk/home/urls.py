"""URLs of the desk's home."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
