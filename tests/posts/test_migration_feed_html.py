"""Migration posts 0003 re-renders what posts saved before it have stored.

Before it, the lead figure was cut out of the page HTML with a regular
expression (a spoiler's figure could become the listing image) and there was
no spoiler-free feed HTML. A site that upgrades must not keep showing either.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from afterword.posts.models import Post

BEFORE = [("posts", "0002_lead_figure")]
BODY = """A crew answers a distress call.

::: spoiler How it ends
![Heintz alone in the ballroom](/media/ballroom.png)
He stays behind.
:::

![The station over a gas giant](/media/station.png)
The station.
"""
# What the old code stored for BODY: the spoiler's figure as the lead.
OLD_LEAD = (
    '<figure class="figure"><img src="/media/ballroom.png" '
    'alt="Heintz alone in the ballroom" decoding="async">'
    "<figcaption>He stays behind.</figcaption>\n</figure>"
)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_upgrading_rerenders_lead_figures_and_fills_feed_html(client):
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    author = old_apps.get_model("accounts", "User").objects.create(
        username="critic", email="critic@example.test", password="!"
    )
    old_apps.get_model("posts", "Post").objects.create(
        title="Magnetic Rose",
        slug="magnetic-rose",
        author_id=author.pk,
        body=BODY,
        body_html='<details class="spoiler">…</details>',
        lead_figure_html=OLD_LEAD,
        summary="A crew answers a distress call.",
        status="published",
        published_at="2026-01-05T10:00:00Z",
    )

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())

    post = Post.objects.get(slug="magnetic-rose")
    assert post.lead_figure_html.startswith(
        '<figure class="figure"><img src="/media/station.png"'
    )
    assert '<details class="spoiler" id="spoiler-1">' in post.body_html
    assert "ballroom" not in post.feed_html
    assert '<a href="#spoiler-1">Spoiler (How it ends) hidden' in post.feed_html
    home = client.get(reverse("posts:home")).content.decode()
    assert "station.png" in home
    assert "ballroom" not in home
