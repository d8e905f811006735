"""URLs of the subscriptions app, mounted at / (everything under /follow/)."""

from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("follow/token/", views.form_token, name="token"),
    path("follow/confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/manage/<str:token>/", views.manage, name="manage"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
