from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "afterword.discussion"
    label = "discussion"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in
        from allauth.socialaccount.models import SocialApp
        from django.db.models.signals import post_delete, post_save

        from afterword.core import actions, changes

        from . import actions as comment_actions
        from . import receivers
        from .models import Block, Comment, CommentSubscription, DiscussionSettings

        changes.public(
            Comment,
            shown_on="the thread under its post, comment feeds, comment counts",
            # Held, spam and trashed comments show to no reader: posting one
            # (or a flood of them) changes no page.
            visible=lambda comment: comment.status == Comment.Status.APPROVED,
            visible_fields=["status"],
        )
        changes.public(
            DiscussionSettings,
            shown_on="the comment form of every post (open or closed, avatars)",
        )
        changes.internal(
            CommentSubscription, reason="readers' comment-email subscriptions"
        )
        changes.internal(
            Block,
            reason="the writer's blocked commenters: they only judge new "
            "comments, which go to spam and show on no page",
        )
        actions.for_model(
            Comment,
            save=comment_actions.EditComment,
            delete=comment_actions.DeleteComment,
        )
        actions.for_model(
            DiscussionSettings,
            save=comment_actions.UpdateDiscussionSettings,
            delete=None,
        )
        changes.subscribe(receivers.on_public_changes, uid="discussion-threads")

        user_logged_in.connect(receivers.remember_login_provider)
        # Which provider icons to show is cached; forget it when apps change.
        post_save.connect(receivers.forget_providers, sender=SocialApp)
        post_delete.connect(receivers.forget_providers, sender=SocialApp)
