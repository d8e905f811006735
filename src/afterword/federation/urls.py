"""The federation app's addresses."""

urlpatterns: list = []
