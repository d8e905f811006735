from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "afterword.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.models import Group, Permission
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.sessions.models import Session
        from django.contrib.sites.models import Site
        from django.core import checks
        from django_tasks_db.models import DBTaskResult

        from . import changes
        from .admin import count_lists_cheaply
        from .clientip import check_trusted_proxies

        changes.connect()
        # Django's own tables and the task queue: plumbing no reader sees.
        changes.internal(LogEntry, reason="the admin's history of changes")
        changes.internal(Permission, reason="who may do what in the admin")
        changes.internal(Group, reason="groups of admin permissions")
        changes.internal(ContentType, reason="Django's table of models")
        changes.internal(Session, reason="signed-in sessions")
        changes.internal(
            Site,
            reason="used by django-allauth only; pages print AFTERWORD_SITE_NAME",
        )
        changes.internal(DBTaskResult, reason="the background task queue")

        checks.register(check_trusted_proxies, checks.Tags.security)
        # The admin app, before this one, has imported every admin.py.
        count_lists_cheaply(admin.site)
