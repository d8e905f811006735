"""A writer whose desk language is French meets no English on the desk.

Every screen is rendered with rows behind it (a held and an approved comment,
a block, followers in each state, a series with planned parts), and what it
shows is searched for the catalogue's English (tests/i18n/catalogue.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.discussion.actions import BlockCommenter
from afterword.discussion.models import Comment
from afterword.redirects.actions import SaveRedirect
from afterword.redirects.models import Redirect
from afterword.subscriptions.models import Follow, Subscriber
from tests.i18n.catalogue import FRENCH, english_left, read

SCREENS = {
    "home": lambda w: reverse("desk:home"),
    "posts": lambda w: reverse("desk:posts"),
    "editor": lambda w: reverse("desk:edit_post", args=[w["post"].pk]),
    "comments": lambda w: reverse("desk:comments"),
    "comments-approved": lambda w: reverse("desk:comments") + "?status=approved",
    "blocks": lambda w: reverse("desk:comment_blocks"),
    "catalog": lambda w: reverse("desk:catalog"),
    "catalog-people": lambda w: reverse("desk:catalog") + "?list=people",
    "new-work": lambda w: reverse("desk:catalog_new", args=["works"]),
    "new-person": lambda w: reverse("desk:catalog_new", args=["people"]),
    "series": lambda w: reverse("desk:series"),
    "new-series": lambda w: reverse("desk:series_new"),
    "edit-series": lambda w: reverse("desk:series_edit", args=[w["series"].pk]),
    "followers": lambda w: reverse("desk:followers"),
    "stats": lambda w: "/desk/stats/",
    "appearance": lambda w: reverse("desk:appearance"),
    "settings": lambda w: reverse("desk:settings"),
    "people": lambda w: reverse("desk:people") + "?q=desk",
    "discussion": lambda w: reverse("desk:discussion_settings"),
    "redirects": lambda w: reverse("desk:redirects"),
    "webhooks": lambda w: reverse("desk:webhooks"),
    "edit-webhook": lambda w: reverse("desk:webhooks") + f"?edit={w['webhook'].pk}",
}


@pytest.fixture
def french_desk(client, desk_world):
    admin = desk_world["writers"]["administrator"]
    admin.desk_language = "fr"
    admin.save(update_fields=["desk_language"])
    BlockCommenter("email", "pest@example.test", note="relances").run()
    Comment.objects.create(
        post=desk_world["post"],
        author_name="Zoé",
        author_email="zoe@example.test",
        ip_address="203.0.113.9",
        body="Bof.",
        body_html="<p>Bof.</p>",
        status=Comment.Status.APPROVED,
    )
    now = timezone.now()
    weekly = Subscriber.objects.create(
        email="r@example.org", frequency="weekly", confirmed_at=now
    )
    Follow.objects.create(subscriber=weekly, target="site", confirmed_at=now)
    Subscriber.objects.create(email="p@example.org")
    Subscriber.objects.create(
        email="q@example.org", confirmed_at=now, unsubscribed_at=now
    )
    SaveRedirect(Redirect(old_path="/2019/05/ancien/", target_path="/ailleurs/")).run()
    SaveRedirect(
        Redirect(old_path="/2019/06/rose/", target_post=desk_world["post"])
    ).run()
    client.force_login(admin)
    return desk_world


@pytest.mark.parametrize("screen", SCREENS)
def test_desk_screen_in_french_has_no_english_left(client, french_desk, screen):
    response = client.get(SCREENS[screen](french_desk))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert english_left(html, read(FRENCH)) == []


def test_the_new_screens_say_it_in_french(client, french_desk):
    comments = client.get(reverse("desk:comments")).content.decode()
    assert "Appliquer à la sélection" in comments
    assert "Premier commentaire" in comments
    blocks = client.get(reverse("desk:comment_blocks")).content.decode()
    assert "E-mail\u00a0:" in blocks
    series = client.get(
        reverse("desk:series_edit", args=[french_desk["series"].pk])
    ).content.decode()
    assert "Titre prévu" in series
    assert "en retard" in series
    followers = client.get(reverse("desk:followers")).content.decode()
    assert "désabonné</td>" in followers
    discussion = client.get(reverse("desk:discussion_settings")).content.decode()
    assert "Retenir un premier commentaire" in discussion
    redirects = client.get(reverse("desk:redirects")).content.decode()
    assert "2 redirections" in redirects
    assert "Ancienne adresse" in redirects
    webhooks = client.get(reverse("desk:webhooks")).content.decode()
    assert "Un article est publié" in webhooks
    assert "En attente" in webhooks
