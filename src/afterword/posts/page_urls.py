"""The catch-all address of pages, ``/<slug>/``: mounted last (see urls.py)."""

from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("<uslug:slug>/", views.PageView.as_view(), name="page"),
]
