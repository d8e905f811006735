"""URLs of the theme app."""

urlpatterns: list = []
