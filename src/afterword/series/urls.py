"""URLs of the series app, mounted at /series/."""

from django.urls import path

from . import feeds, views

app_name = "series"

urlpatterns = [
    path("", views.SeriesIndexView.as_view(), name="index"),
    path("<slug:slug>/", views.SeriesView.as_view(), name="detail"),
    path("<slug:slug>/feed/", feeds.SeriesFeed(), name="rss"),
    path("<slug:slug>/feed/atom/", feeds.SeriesAtomFeed(), name="atom"),
]
