"""The Appearance screen: what the writer sets shows on the public site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.theme.models import SiteAppearance

pytestmark = pytest.mark.django_db

URL = "/desk/appearance/"


def form_data(**changes):
    data = {
        "site_title": "The Long Take",
        "tagline": "Slow reviews of fast films.",
        "accent_colour": "#1d4e89",
        "footer_text": "Written in Lisbon.",
        "show_series_box": "on",
        "colour_scheme": "auto",
    }
    data.update(changes)
    return data


def test_the_screen_shows_the_current_values(administrator):
    response = administrator.get(reverse("desk:appearance"))
    assert response.status_code == 200
    assert 'name="accent_colour"' in response.content.decode()


def test_an_appearance_change_shows_on_the_cached_home_page(
    administrator,
    client,
    settings,
    post_factory,
    writer,
    django_capture_on_commit_callbacks,
):
    settings.AFTERWORD_PAGE_CACHE = True
    post_factory(author=writer, title="A quiet film")
    reader = client.__class__()
    first = reader.get("/").content.decode()
    assert "The Long Take" not in first
    assert reader.get("/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        response = administrator.post(URL, form_data(colour_scheme="dark"))
    assert response.status_code == 302

    home = reader.get("/")
    html = home.content.decode()
    assert home["X-Page-Cache"] != "hit"
    assert '<a href="/" rel="home">The Long Take</a>' in html
    assert "Slow reviews of fast films." in html
    assert "Written in Lisbon." in html
    assert 'data-scheme="dark"' in html
    appearance = SiteAppearance.load()
    stylesheet = reverse("theme:appearance_css", args=[appearance.version])
    assert stylesheet in html
    css = reader.get(stylesheet).content.decode()
    assert "--accent: #1d4e89" in css


def test_an_empty_title_falls_back_to_the_installation_name(
    administrator,
    client,
    settings,
    post_factory,
    writer,
    django_capture_on_commit_callbacks,
):
    post_factory(author=writer)
    with django_capture_on_commit_callbacks(execute=True):
        administrator.post(URL, form_data(site_title="", accent_colour=""))
    html = client.__class__().get("/").content.decode()
    assert f'rel="home">{settings.SITE_NAME}</a>' in html
    assert "appearance/" not in html


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("#ffd700", "too light"),
        ("gold", "hex code"),
        ("#12345", "hex code"),
    ],
)
def test_a_bad_accent_is_refused_and_the_input_kept(administrator, colour, message):
    response = administrator.post(URL, form_data(accent_colour=colour))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="The Long Take"' in html
    assert f'value="{colour}"' in html
    assert not SiteAppearance.objects.exists()


def test_a_short_hex_is_stored_in_full(administrator):
    administrator.post(URL, form_data(accent_colour="#A30"))
    assert SiteAppearance.objects.get().accent_colour == "#aa3300"


@pytest.mark.parametrize("role", ["contributor", "author", "editor"])
def test_only_administrators_change_the_appearance(signed_in, role):
    desk = signed_in(role)
    assert desk.get(URL).status_code == 403
    assert desk.post(URL, form_data()).status_code == 403
    assert not SiteAppearance.objects.exists()


def test_hiding_the_series_box_removes_it_from_posts(
    administrator, client, post_factory, writer, django_capture_on_commit_callbacks
):
    from afterword.series.actions import save_part, save_series
    from afterword.series.models import Series, SeriesPart

    post = post_factory(author=writer, title="Magnetic Rose")
    series = save_series(Series(title="Memories", slug="memories"))
    save_part(SeriesPart(series=series, position=1, post=post))
    reader = client.__class__()
    assert 'class="series-box"' in reader.get(post.get_absolute_url()).content.decode()
    data = form_data()
    del data["show_series_box"]
    with django_capture_on_commit_callbacks(execute=True):
        administrator.post(URL, data)
    assert (
        'class="series-box"' not in reader.get(post.get_absolute_url()).content.decode()
    )
