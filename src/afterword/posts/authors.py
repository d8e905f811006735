"""Who has a public profile: the one rule behind author pages and the
contact form.

An account is public once it has a live post; before that (a reader, an
administrator who has not published, a writer with only drafts or posts
scheduled for later) ``/author/<username>/`` answers as for a name that does
not exist, so the address cannot be used to find out which accounts exist.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from .models import Post


def public_authors() -> QuerySet:
    """Active accounts with at least one listed post (``listed_condition``)."""
    wrote = Post.objects.posts().listed().filter(author=OuterRef("pk"))
    return get_user_model().objects.filter(is_active=True).filter(Exists(wrote))
