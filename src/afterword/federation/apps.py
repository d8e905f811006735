from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "afterword.federation"
    label = "federation"
    verbose_name = "Fediverse"

    def ready(self) -> None:
        from afterword.core import changes
        from afterword.discussion.signals import comment_approved
        from afterword.posts.signals import post_went_live
        from afterword.taskworker.signals import workers_lost

        from . import models, receivers
        from .tasks import requeue_lost

        changes.internal(
            models.LocalActor, reason="the site's fediverse accounts and their keys"
        )
        changes.internal(
            models.RemoteActor,
            reason="other servers' accounts: comments copy what pages show",
        )
        changes.internal(
            models.Follower, reason="fediverse followers, listed in the desk"
        )
        changes.internal(
            models.Reaction,
            reason="likes and boosts, counted for the writer in the desk",
        )
        changes.internal(
            models.FediverseComment,
            reason="which comments are fediverse objects (comments are public)",
        )
        changes.internal(models.Block, reason="blocked servers and accounts")
        changes.internal(
            models.PublishedObject, reason="what the fediverse was told about posts"
        )
        changes.internal(models.Instance, reason="how delivery to each server goes")
        changes.internal(models.Delivery, reason="queued and posted activities")
        changes.internal(
            models.ReceivedActivity, reason="ids of activities already acted on"
        )
        post_went_live.connect(
            receivers.on_post_went_live, dispatch_uid="federation-post-went-live"
        )
        changes.subscribe(receivers.on_public_changes, uid="federation-post-changes")
        comment_approved.connect(
            receivers.on_comment_approved, dispatch_uid="federation-comment-approved"
        )
        workers_lost.connect(requeue_lost, dispatch_uid="federation-requeue-lost")
