"""``/micropub`` and ``/micropub/media``: mounted before the pages' catch-all."""

from django.urls import path

from . import views

app_name = "micropub"

urlpatterns = [
    path("micropub", views.endpoint, name="endpoint"),
    path("micropub/media", views.media, name="media"),
]
