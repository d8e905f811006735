"""URLs of the desk's Series screen."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.series_list, name="series"),
    path("new/", views.new, name="series_new"),
    path("<int:pk>/", views.edit, name="series_edit"),
    path("<int:pk>/delete/", views.delete, name="series_delete"),
    path("parts/<int:pk>/draft/", views.draft, name="series_draft"),
]
