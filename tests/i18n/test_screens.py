"""The theme's main screens in French show no English from the interface.

Every English string of the catalogue (cut at its placeholders) is looked
for in what each page shows, says to a screen reader or hands to its
scripts; content is French, so what is found is an untranslated string.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from .catalogue import english_left

SCREENS = {
    "home": lambda site: reverse("posts:home"),
    "post": lambda site: site.post.get_absolute_url(),
    "author": lambda site: site.author.get_absolute_url(),
    "tag": lambda site: site.tag.get_absolute_url(),
    "category": lambda site: site.category.get_absolute_url(),
    "month": lambda site: reverse("posts:month", args=[2025, "03"]),
    "search": lambda site: reverse("search:results") + "?q=Paprika",
    "search-empty": lambda site: reverse("search:results") + "?q=introuvable",
    "work": lambda site: site.work.get_absolute_url(),
    "works": lambda site: reverse("catalog:works"),
    "404": lambda site: "/nulle-part/",
}


@pytest.mark.parametrize("screen", SCREENS)
def test_french_screen_has_no_english_left(
    client, site_in_french, french_site, french_entries, screen
):
    response = client.get(SCREENS[screen](french_site))
    assert response.status_code == (404 if screen == "404" else 200)
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert english_left(html, french_entries) == []


def test_the_post_page_is_french_where_it_matters(client, site_in_french, french_site):
    html = client.get(french_site.post.get_absolute_url()).content.decode()
    assert "Laisser un commentaire" in html
    assert "Publier le commentaire" in html
    assert "1 commentaire" in html
    assert "Répondre à Lucie" in html
    assert "Aller au contenu" in html
    # The rating's words and number are French: "3,5 sur 5".
    assert "3,5 sur 5" in html


def test_the_same_screens_in_english_are_caught(client, french_site, french_entries):
    """The check can fail: in English it finds the interface's strings."""
    html = client.get(french_site.post.get_absolute_url()).content.decode()
    left = english_left(html, french_entries)
    assert {"Leave a Reply", "Post Comment", "Skip to content"} <= set(left)
    assert len(left) > 20


def test_a_reader_browser_language_never_changes_a_page(client, french_site):
    """Pages are cached for everyone: Accept-Language is not listened to."""
    response = client.get(reverse("posts:home"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Accept-Language" not in response.get("Vary", "")
