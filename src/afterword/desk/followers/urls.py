"""URLs of the desk's followers screens."""

urlpatterns: list = []
