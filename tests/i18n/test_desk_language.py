"""Each writer's desk language, chosen apart from the site's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.accounts.roles import role_of
from tests import factories


@pytest.fixture
def french_writer(db):
    from afterword.accounts.actions import SetRole

    writer = factories.UserFactory(username="amelie", display_name="Amélie")
    SetRole(writer, "author").run()
    writer.desk_language = "fr"
    writer.save(update_fields=["desk_language"])
    assert role_of(writer) is not None
    return writer


def test_the_desk_speaks_french_while_the_public_site_stays_english(
    client, french_writer, french_site
):
    client.force_login(french_writer)
    desk = client.get(reverse("desk:home")).content.decode()
    assert '<html lang="fr"' in desk
    assert "Aller au contenu" in desk
    assert "Voir le site" in desk
    assert ">Accueil</h1>" in desk
    assert "Se déconnecter" in desk

    # Same session, same signed-in writer: the public pages keep the site's
    # language, because the page cache serves them to everyone.
    home = client.get(reverse("posts:home"))
    html = home.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Aller au contenu" not in html
    assert home["Content-Language"] == "en"
    post = client.get(french_site.post.get_absolute_url()).content.decode()
    assert "Leave a Reply" in post
    assert "14 March 2025" in post


def test_the_admin_follows_the_writer_too(client, french_writer):
    client.force_login(french_writer)
    response = client.get("/admin/posts/post/")
    assert response.status_code in (200, 403)
    assert response["Content-Language"] == "fr"


def test_a_writer_without_a_choice_gets_the_site_language(client, settings, db):
    from afterword.accounts.actions import SetRole

    writer = factories.UserFactory(username="basile")
    SetRole(writer, "author").run()
    client.force_login(writer)
    assert "Skip to content" in client.get(reverse("desk:home")).content.decode()
    settings.LANGUAGE_CODE = "fr"
    assert "Aller au contenu" in client.get(reverse("desk:home")).content.decode()


def test_a_french_desk_does_not_leak_into_the_next_request(client, french_writer):
    """The thread's language is put back after the writer's request."""
    client.force_login(french_writer)
    client.get(reverse("desk:home"))
    client.logout()
    html = client.get(reverse("posts:home")).content.decode()
    assert '<html lang="en">' in html


def test_a_writer_changes_their_desk_language_on_the_desk(client, db):
    from afterword.accounts.actions import SetRole

    writer = factories.UserFactory(username="chloe")
    SetRole(writer, "contributor").run()
    client.force_login(writer)
    url = reverse("desk:language")

    page = client.get(url).content.decode()
    assert "Language of the desk" in page
    assert 'lang="fr">Français</option>' in page

    response = client.post(url, {"language": "fr"}, follow=True)
    writer.refresh_from_db()
    assert writer.desk_language == "fr"
    html = response.content.decode()
    assert "Langue du bureau" in html
    assert "Langue du bureau\u00a0: Français." in html

    client.post(url, {"language": ""})
    writer.refresh_from_db()
    assert writer.desk_language == ""
    assert "Language of the desk" in client.get(url).content.decode()


def test_a_language_the_site_does_not_ship_is_refused(client, db):
    from afterword.accounts.actions import SetRole

    writer = factories.UserFactory(username="dora")
    SetRole(writer, "author").run()
    client.force_login(writer)
    response = client.post(reverse("desk:language"), {"language": "xx"})
    assert response.status_code == 400
    assert "xx" in response.content.decode()
    writer.refresh_from_db()
    assert writer.desk_language == ""


def test_a_reader_cannot_open_the_language_screen(client, db):
    reader = factories.UserFactory(username="reader")
    client.force_login(reader)
    assert client.get(reverse("desk:language")).status_code == 403
    assert client.post(reverse("desk:language"), {"language": "fr"}).status_code == 403
    reader.refresh_from_db()
    assert reader.desk_language == ""
