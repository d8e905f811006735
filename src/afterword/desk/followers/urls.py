"""URLs of the desk's Followers screen."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.followers, name="followers"),
    path("followers.csv", views.export_csv, name="followers_csv"),
]
