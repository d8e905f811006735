from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "afterword.series"
    label = "series"
    verbose_name = "Series"
