"""URLs of the feeds app: feeds, sitemap.xml and robots.txt."""

from django.urls import path

from . import feeds, views

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
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    # Part N before part 1: a section's name would swallow "posts-2".
    path(
        "sitemap-<slug:section>-<int:page>.xml",
        views.sitemap_part,
        name="sitemap-part-n",
    ),
    path("sitemap-<slug:section>.xml", views.sitemap_part, name="sitemap-part"),
    path("robots.txt", views.robots_txt, name="robots"),
]
