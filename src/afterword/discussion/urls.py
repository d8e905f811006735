"""URLs of the discussion app, under /comments/ and /contact/, clear of posts'."""

from django.urls import path

from . import feeds, views

app_name = "discussion"

urlpatterns = [
    path("comments/post/<int:post_id>/", views.post_comment, name="post"),
    path("comments/token/<int:post_id>/", views.form_token, name="token"),
    path("comments/avatar/<str:digest>.svg", views.avatar, name="avatar"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/email/<str:token>/", views.email_action, name="email-action"),
    path("contact/<str:username>/", views.contact, name="contact"),
    path("contact/<str:username>/token/", views.contact_token, name="contact-token"),
    path("comments/feed/", feeds.RecentCommentsRss(), name="feed-rss"),
    path("comments/feed/atom/", feeds.RecentCommentsAtom(), name="feed-atom"),
    path("comments/feed/<int:post_id>/", feeds.PostCommentsRss(), name="post-feed-rss"),
    path(
        "comments/feed/<int:post_id>/atom/",
        feeds.PostCommentsAtom(),
        name="post-feed-atom",
    ),
]
