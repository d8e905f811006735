"""A small French site: content written in French, so that any English left
on a page can only come from the interface."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from afterword.catalog import actions as catalog_actions
from afterword.catalog.models import Work
from afterword.discussion import actions as discussion_actions
from afterword.discussion import defences
from afterword.discussion.models import Comment
from tests import factories

from .catalogue import FRENCH, read

PUBLISHED = datetime(2025, 3, 14, 18, 30, tzinfo=UTC)


@dataclass
class FrenchSite:
    post: object
    tag: object
    category: object
    author: object
    work: object
    comment: object


@pytest.fixture(scope="session")
def french_entries():
    return read(FRENCH)


@pytest.fixture
def site_in_french(settings):
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture
def french_site(db, client, post_factory, settings):
    author = factories.UserFactory(
        username="camille", display_name="Camille Durand", is_staff=True
    )
    tag = factories.TagFactory(name="Animation japonaise", slug="animation")
    category = factories.CategoryFactory(name="Critiques", slug="critiques")
    post = post_factory(
        author=author,
        title="Paprika, le rêve éveillé",
        slug="paprika",
        body="Un film *vertigineux* de Satoshi Kon.\n\n## Le rêve\n\nSuite.",
        published_at=PUBLISHED,
    )
    post.tags.set([tag])
    post.categories.set([category])
    work = catalog_actions.save_catalog_object(
        Work(title="Paprika", slug="paprika", year=2006, runtime=90)
    )
    catalog_actions.link_post_to_work(post, work, primary=True, rating=3.5)
    # A reader's comment, posted through the form as a browser sends it
    # (its token issued a while ago), then approved by the author.
    client.post(
        reverse("discussion:post", args=[post.pk]),
        {
            "token": defences.make_token(f"post:{post.pk}", now=time.time() - 30),
            "name": "Lucie",
            "email": "lucie@example.test",
            "url": "",
            "body": "Très juste, merci.",
            "parent": "",
        },
    )
    comment = Comment.objects.get(post=post)
    if comment.status != Comment.Status.APPROVED:
        discussion_actions.approve(comment)
    client.cookies.clear()
    return FrenchSite(post, tag, category, author, work, comment)
