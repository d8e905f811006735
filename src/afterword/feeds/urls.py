"""URLs of the feeds app."""

urlpatterns: list = []
