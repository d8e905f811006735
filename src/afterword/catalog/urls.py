"""URLs of the catalog app, mounted at /catalog/."""

from django.urls import path

from . import feeds, views

app_name = "catalog"

urlpatterns = [
    path("", views.WorkIndexView.as_view(), name="works"),
    path("works/", views.WorkIndexView.as_view(), name="work-list"),
    path("works/<slug:slug>/", views.WorkView.as_view(), name="work"),
    path("works/<slug:slug>/feed/", feeds.WorkFeed(), name="work-rss"),
    path("works/<slug:slug>/feed/atom/", feeds.WorkAtomFeed(), name="work-atom"),
    path("people/", views.PersonIndexView.as_view(), name="people"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("people/<slug:slug>/feed/", feeds.PersonFeed(), name="person-rss"),
    path("people/<slug:slug>/feed/atom/", feeds.PersonAtomFeed(), name="person-atom"),
    path("organisations/", views.OrganisationIndexView.as_view(), name="organisations"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationView.as_view(),
        name="organisation",
    ),
    path("card/<str:kind>/<slug:slug>.json", views.card, name="card"),
]
