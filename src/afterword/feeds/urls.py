"""URLs of the feeds app: feeds, sitemap.xml and robots.txt."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "feeds"

urlpatterns = [
    path("feed/", feeds.PostFeed(), name="rss"),
    path("feed/atom/", feeds.AtomPostFeed(), name="atom"),
    path("tag/<uslug:slug>/feed/", feeds.TagFeed(), name="tag-rss"),
    path("tag/<uslug:slug>/feed/atom/", feeds.AtomTagFeed(), name="tag-atom"),
    path("category/<uslug:slug>/feed/", feeds.CategoryFeed(), name="category-rss"),
    path(
        "category/<uslug:slug>/feed/atom/",
        feeds.AtomCategoryFeed(),
        name="category-atom",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
