"""URLs of the series app."""

urlpatterns: list = []
