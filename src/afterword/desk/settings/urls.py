"""URLs of the desk's settings screens."""

from django.urls import path

from . import app_passwords, redirects, signed_in_apps, views, webhooks
from .language import language

urlpatterns = [
    path("", views.index, name="settings"),
    path("people/", views.people, name="people"),
    path("people/new/", views.new_writer, name="people_new"),
    path("people/<int:pk>/role/", views.set_role, name="people_role"),
    path("discussion/", views.discussion, name="discussion_settings"),
    path("language/", language, name="language"),
    path("redirects/", redirects.screen, name="redirects"),
    path("app-passwords/", app_passwords.screen, name="app_passwords"),
    path("webhooks/", webhooks.screen, name="webhooks"),
    path("apps/", signed_in_apps.screen, name="signed_in_apps"),
]
