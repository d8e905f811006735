from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "afterword.catalog"
    label = "catalog"
