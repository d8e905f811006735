"""URLs of the catalog app."""

urlpatterns: list = []
