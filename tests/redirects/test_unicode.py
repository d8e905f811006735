"""Slugs in any script: readable in the database, percent-encoded in every
link the site writes, reachable, redirected, and cached like any page."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.text import slugify

from afterword.pagecache.files import bucket_of
from afterword.redirects.models import Redirect
from tests import factories
from tests.support.adminforms import change
from tests.support.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db
TITLE = "カウボーイビバップ"
WHEN = datetime(2024, 5, 3, 12, tzinfo=UTC)


@pytest.fixture
def bebop(publish):
    tag = factories.TagFactory(name="Ōkami", slug=slugify("Ōkami", allow_unicode=True))
    post = publish(
        title=TITLE, slug=slugify(TITLE, allow_unicode=True), published_at=WHEN
    )
    post.tags.add(tag)
    return post


def test_a_unicode_slug_stays_readable_and_links_are_encoded(client, bebop):
    assert bebop.slug == TITLE
    encoded = f"/2024/05/{quote(TITLE)}/"
    assert bebop.get_absolute_url() == encoded

    page = client.get(encoded)
    assert page.status_code == 200
    assert TITLE in page.content.decode()
    assert f'href="/tag/{quote("ōkami")}/"' in page.content.decode()
    assert f'href="{encoded}"' in client.get("/").content.decode()
    assert client.get(f"/tag/{quote('ōkami')}/").status_code == 200
    feed = client.get(f"/tag/{quote('ōkami')}/feed/")
    assert feed.status_code == 200
    assert f"http://127.0.0.1:8000{encoded}" in feed.content.decode()
    sitemap = sitemap_text(client)
    assert f"{encoded}</loc>" in sitemap
    assert TITLE not in sitemap  # every address in it is percent-encoded


def test_a_renamed_unicode_post_redirects_with_an_encoded_location(
    admin_client, client, bebop
):
    change(
        admin_client,
        reverse("admin:posts_post_change", args=[bebop.pk]),
        slug="カウボーイビバップ-天国の扉",
    )

    assert Redirect.objects.get().old_path == f"/2024/05/{TITLE}/"
    response = client.get(f"/2024/05/{quote(TITLE)}/")
    assert response.status_code == 301
    assert response["Location"] == f"/2024/05/{quote('カウボーイビバップ-天国の扉')}/"
    assert client.get(response["Location"]).status_code == 200


def test_a_unicode_page_is_cached_and_written_as_a_page_file(
    client, bebop, settings, tmp_path
):
    settings.AFTERWORD_PAGE_CACHE = True
    settings.AFTERWORD_PAGE_CACHE_DIR = str(tmp_path / "pages")
    url = f"/2024/05/{quote(TITLE)}/"

    first, second = client.get(url), client.get(url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # nginx looks files up by the decoded path ($uri), so that is the name.
    [bucket] = (tmp_path / "pages").glob("[0-9]*")
    assert int(bucket.name) >= bucket_of(0)
    written = bucket / "testserver" / "2024" / "05" / TITLE / "index.html"
    assert written.read_bytes() == first.content


def test_a_cached_404_never_hides_a_new_redirect(client, settings, administrator):
    """Neither 404s nor redirects are stored by the page cache, so a redirect
    made after readers met the 404 answers at once (why ``Redirect`` is
    declared internal in ``core.changes``)."""
    settings.AFTERWORD_PAGE_CACHE = True
    for _ in range(2):
        assert client.get("/old-review/").status_code == 404

    administrator.post(
        "/desk/settings/redirects/",
        {
            "intent": "save",
            "old_path": "/old-review/",
            "target_path": "/",
            "status": "301",
        },
    )

    first, second = client.get("/old-review/"), client.get("/old-review/")
    assert (first.status_code, first["Location"]) == (301, "/")
    assert "X-Page-Cache" not in second
