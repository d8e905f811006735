from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "afterword.media"
    label = "media"

    def ready(self) -> None:
        from afterword.core import actions, changes

        from . import actions as media_actions
        from .models import Image, Rendition

        changes.public(
            Image, shown_on="figures and featured images in posts, listings, feeds"
        )
        changes.public(
            Rendition,
            shown_on="the srcset of every figure; made and removed with its Image",
        )
        actions.for_model(
            Image, save=media_actions.SaveImage, delete=media_actions.DeleteImage
        )
