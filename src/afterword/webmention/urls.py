"""The webmention app's addresses."""

urlpatterns: list = []
