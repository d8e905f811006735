"""The fediverse's addresses. An author's actor is their author page and the
blog's is the home page (content negotiation, ``negotiation``); their
collections and the inboxes live under ``/ap/``."""

from django.urls import path

from . import views

app_name = "federation"

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo-links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("ap/inbox", views.inbox_view, name="shared-inbox"),
    path("ap/actors/<str:handle>", views.actor_document, name="actor"),
    path("ap/actors/<str:handle>/inbox", views.inbox_view, name="inbox"),
    path("ap/actors/<str:handle>/outbox", views.outbox, name="outbox"),
    path("ap/actors/<str:handle>/followers", views.followers, name="followers"),
    path("ap/actors/<str:handle>/following", views.following, name="following"),
    path("ap/actors/<str:handle>/featured", views.featured, name="featured"),
    path("ap/posts/<int:pk>", views.post_object, name="post"),
    path("ap/comments/<int:pk>", views.comment_object, name="comment"),
]
