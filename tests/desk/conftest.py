"""A small site every desk screen has something to show on, and its ids.

``desk_world`` fills the arguments of every desk route (tests/desk/screens.py
fails on a route whose argument is not described here), so the walks by role
and in Chromium reach each screen with real rows behind it.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from afterword.accounts.actions import SetRole
from afterword.catalog.models import Person, Work
from afterword.discussion.models import Comment
from afterword.posts.models import Post
from afterword.series.actions import SaveSeries, SaveSeriesParts
from afterword.series.models import Series, SeriesPart
from afterword.webhooks.actions import SaveWebhook, SendTestPing
from afterword.webhooks.models import Webhook
from tests import factories

ROLES = ("contributor", "author", "editor", "administrator")


def _person(username: str, role: str):
    account = factories.UserFactory(username=username)
    SetRole(account, role).run()
    account.refresh_from_db()
    return account


@pytest.fixture
def desk_world(db, settings, tmp_path):
    """Writers in every role, posts, a held comment, works, a series, a webhook."""
    settings.MEDIA_ROOT = tmp_path / "media"
    writers = {role: _person(f"desk-{role}", role) for role in ROLES}
    mine = factories.save(
        factories.PostFactory.build(
            author=writers["author"],
            title="Magnetic Rose, the first segment",
            slug="magnetic-rose",
        )
    )
    draft = factories.save(
        factories.PostFactory.build(
            author=writers["contributor"],
            title="Stink Bomb, notes",
            slug="stink-bomb-notes",
            status=Post.Status.DRAFT,
        )
    )
    comment = Comment.objects.create(
        post=mine,
        author_name="Ines",
        author_email="ines@example.test",
        body="Which release has the better transfer?",
        body_html="<p>Which release has the better transfer?</p>",
        status=Comment.Status.PENDING,
    )
    work = Work.objects.create(title="Memories", slug="memories-1995", year=1995)
    person = Person.objects.create(name="Kōji Morimoto", slug="koji-morimoto")
    series = SaveSeries(Series(title="Memories, in three parts", slug="memories")).run()
    SaveSeriesParts(
        series,
        [
            SeriesPart(series=series, position=1, post=mine),
            SeriesPart(
                series=series,
                position=2,
                planned_title="Stink Bomb",
                expected_date=timezone.localdate() - datetime.timedelta(days=3),
            ),
        ],
    ).run()
    part = series.parts.get(position=2)
    # A webhook with a test event waiting (the port is never connected to).
    settings.AFTERWORD_OUTBOUND_ALLOW = ["127.0.0.1:9"]
    webhook = SaveWebhook(
        Webhook(url="http://127.0.0.1:9/hooks", events=["post.published"])
    ).run()
    SendTestPing(webhook).run()
    return {
        "writers": writers,
        "post": mine,
        "draft": draft,
        "comment": comment,
        "work": work,
        "person": person,
        "series": series,
        "part": part,
        "webhook": webhook,
    }
