"""URLs of the subscriptions app."""

urlpatterns: list = []
