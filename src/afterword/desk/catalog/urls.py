"""URLs of the desk's catalog screens."""

urlpatterns: list = []
