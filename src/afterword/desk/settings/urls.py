"""URLs of the desk's settings screens."""

urlpatterns: list = []
