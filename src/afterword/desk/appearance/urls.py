"""URLs of the desk's appearance screens."""

urlpatterns: list = []
