from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "afterword.series"
    label = "series"
    verbose_name = "Series"

    def ready(self) -> None:
        from afterword.core import actions, changes

        from . import actions as series_actions
        from .models import Series, SeriesPart

        changes.public(
            Series, shown_on="series pages, their feeds, the contents box on posts"
        )
        changes.public(
            SeriesPart,
            shown_on="series pages and the contents box of every post in the series",
        )
        actions.for_model(
            Series, save=series_actions.SaveSeries, delete=series_actions.DeleteSeries
        )
        actions.for_model(
            SeriesPart, save=series_actions.SavePart, delete=series_actions.DeletePart
        )
