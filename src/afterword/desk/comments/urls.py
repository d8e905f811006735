"""URLs of the desk's comments screens."""

urlpatterns: list = []
