from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "afterword.stats"
    label = "stats"
    verbose_name = "Reading figures"

    def ready(self) -> None:
        from afterword.core import changes

        from .models import DailyFeedFetches, DailyPageViews, DailyReferrer

        reason = "daily reading figures, shown only to writers on the desk"
        for model in (DailyPageViews, DailyReferrer, DailyFeedFetches):
            changes.internal(model, reason=reason)
