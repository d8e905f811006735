"""Posts and their archives.

Mounted first in the root URL map: the post page is the busiest address, and
every pattern tried before it costs each request. Pages live in
``page_urls.py``, mounted last, because their catch-all ``<slug>/`` would
shadow every other app's addresses.
"""

from django.urls import path

from . import views

app_name = "posts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("page/<int:page>/", views.HomeView.as_view(), name="home-page"),
    path("tag/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    path("category/<uslug:slug>/", views.CategoryView.as_view(), name="category"),
    path("author/<str:username>/", views.AuthorView.as_view(), name="author"),
    path("<int:year>/<str:month>/", views.MonthView.as_view(), name="month"),
    path("<int:year>/<str:month>/<uslug:slug>/", views.PostView.as_view(), name="post"),
]
