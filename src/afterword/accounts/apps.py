from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "afterword.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from afterword.core import actions, changes

        from . import actions as account_actions
        from .models import User
        from .roles import sync_role_groups

        changes.public(
            User,
            shown_on="writers' names, bios and avatars on posts and author pages",
            # Readers' accounts show nowhere but in their own comments, which
            # copy the name at posting time: a new sign-up changes no page.
            visible=lambda user: (
                user.is_staff or (user.pk is not None and user.posts.exists())
            ),
            visible_fields=["is_staff"],
            # Signing in stamps these, and the desk language is the writer's
            # own: no page shows them.
            quiet_fields=["last_login", "password", "desk_language"],
        )
        # After every app's permissions exist (Django creates them in its own
        # post_migrate handler, connected earlier because auth comes first).
        post_migrate.connect(sync_role_groups, dispatch_uid="afterword-role-groups")
        actions.for_model(
            User, save=account_actions.SaveAccount, delete=account_actions.DeleteAccount
        )
