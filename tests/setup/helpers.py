"""Small helpers shared by the set-up tests."""

from afterword.accounts.models import User
from afterword.media.models import Image, Rendition
from afterword.posts.models import Category, Post, Revision, Tag


def counts() -> dict[str, int]:
    """How many of each demo-related object the database holds."""
    return {
        model.__name__: model.objects.count()
        for model in (Post, Image, Rendition, Tag, Category, Revision, User)
    }
