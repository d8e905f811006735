"""URLs of the desk's Catalog screen."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("<str:kind>/new/", views.new, name="catalog_new"),
    path("<str:kind>/<int:pk>/", views.edit, name="catalog_edit"),
    path("<str:kind>/<int:pk>/delete/", views.delete, name="catalog_delete"),
]
