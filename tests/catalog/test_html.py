"""Catalog pages are valid HTML (W3C Nu checker), like every page of the site."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.support.html_checks import nu_errors, require_vnu


def test_catalog_pages_are_valid_html(catalog, review, client, tmp_path):
    require_vnu()
    post = review(
        catalog["magnetic-rose-1995"],
        rating="4.5",
        spoilers=True,
        body="About [[Memories (1995)]], [[Yoko Kanno]] and [[Nothing Here]].",
        published_at=timezone.now().replace(microsecond=0) - timedelta(hours=1),
    )
    urls = [
        "/catalog/",
        "/catalog/?kind=segment&year=1995",
        "/catalog/people/?role=director",
        "/catalog/organisations/",
        "/catalog/works/memories-1995/",
        "/catalog/works/magnetic-rose-1995/",
        "/catalog/people/satoshi-kon/",
        "/catalog/organisations/studio-4c/",
        post.get_absolute_url(),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    errors = nu_errors(pages, tmp_path / "pages")
    assert errors == []
