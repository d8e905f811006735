"""What the save action refuses, whichever way the post comes in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from afterword.posts.actions import save_post
from afterword.posts.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_nul_character_is_refused_with_a_message_and_nothing_is_stored():
    """Forms refuse NUL themselves; an import or a script reaches the action
    directly, and PostgreSQL cannot store the character."""
    post = factories.PostFactory.build(author=factories.UserFactory())
    post.author.save()
    post.author = post.author
    post.body = "Before\x00after"

    with pytest.raises(ValidationError, match="NUL character"):
        save_post(post)

    assert not Post.objects.exists()
