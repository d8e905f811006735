"""Every page of a demo-like site passes the W3C Nu HTML checker.

The site is crawled from the home page with the test client, following every
internal link, and all pages are checked in one run of the checker (starting
Java once per page would take minutes).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from tests.support.html_checks import nu_errors

pytestmark = pytest.mark.django_db

MAX_PAGES = 150
# Not pages of the reading site: the admin, accounts, files and feeds.
SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/static/", "/media/")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)


def internal_links(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    links = []
    for href in parser.links:
        href, _fragment = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every HTML page reachable from ``start``, by URL."""
    pages: dict[str, str] = {}
    queue = list(start)
    seen = set(queue)
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        assert response.status_code in (200, 404), (
            f"{url} answered {response.status_code}"
        )
        html = response.content.decode()
        pages[url] = html
        for link in internal_links(html):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def search_url() -> str | None:
    try:
        return reverse("search:results")
    except NoReverseMatch:
        return None


def test_every_page_of_the_demo_site_is_valid_html(client, demo_site, tmp_path):
    start = ["/", "/no-such-page/"]
    if search_url():
        start += [search_url(), search_url() + "?q=film"]
    pages = crawl(client, start)

    kinds = {
        "post": r"^/\d{4}/\d{2}/[\w-]+/$",
        "month": r"^/\d{4}/\d{2}/$",
        "tag": r"^/tag/",
        "category": r"^/category/",
        "author": r"^/author/",
        "page of the home": r"^/page/\d+/$",
    }
    for kind, pattern in kinds.items():
        assert any(re.match(pattern, url) for url in pages), (
            f"crawl found no {kind} page"
        )

    errors = nu_errors(dict(sorted(pages.items())), tmp_path / "pages")
    print(f"checked {len(pages)} pages with the Nu HTML checker")
    for error in errors:
        print(error)
    assert errors == []
