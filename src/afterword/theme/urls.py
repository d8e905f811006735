"""URLs of the theme app."""

from django.urls import path

from . import views

app_name = "theme"

urlpatterns = [
    # The version in the address changes with every save, so the stylesheet
    # can be cached for good and a new accent is fetched at once.
    path(
        "appearance/<int:version>.css",
        views.appearance_css,
        name="appearance_css",
    ),
]
