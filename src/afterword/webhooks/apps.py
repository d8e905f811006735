from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "afterword.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from afterword.core import actions, changes
        from afterword.discussion.signals import comment_approved, comment_held
        from afterword.posts.signals import post_went_live
        from afterword.taskworker.signals import workers_lost

        from . import actions as webhook_actions
        from . import receivers
        from .models import Webhook, WebhookDelivery
        from .tasks import requeue_lost

        changes.internal(
            Webhook, reason="addresses the site posts events to, and their secrets"
        )
        changes.internal(WebhookDelivery, reason="queued and posted webhook events")
        actions.for_model(
            Webhook,
            save=webhook_actions.SaveWebhook,
            delete=webhook_actions.DeleteWebhook,
        )
        post_went_live.connect(
            receivers.on_post_went_live, dispatch_uid="webhooks-post-went-live"
        )
        changes.subscribe(receivers.on_public_changes, uid="webhooks-post-changes")
        comment_held.connect(
            receivers.on_comment_held, dispatch_uid="webhooks-comment-held"
        )
        comment_approved.connect(
            receivers.on_comment_approved, dispatch_uid="webhooks-comment-approved"
        )
        workers_lost.connect(requeue_lost, dispatch_uid="webhooks-requeue-lost")
