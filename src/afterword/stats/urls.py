"""The beacon's address, mounted at /stats/ (config/urls.py)."""

from django.urls import path

from . import beacon

app_name = "stats"

urlpatterns = [path("hit", beacon.hit, name="hit")]
