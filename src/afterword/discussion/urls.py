"""URLs of the discussion app."""

urlpatterns: list = []
