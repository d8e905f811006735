"""URLs of the desk's editor screens."""

urlpatterns: list = []
