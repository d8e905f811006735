"""URLs of the desk's series screens."""

urlpatterns: list = []
