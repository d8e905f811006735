"""Clients find the endpoint from any page: a <link> and a Link header, cached
pages included."""

from __future__ import annotations

import requests
from django.conf import settings


def test_every_page_names_the_endpoint_in_its_head_and_headers(
    live_server, post_factory
):
    post = post_factory(title="Discoverable")
    endpoint = settings.SITE_URL + "/micropub"
    for path in ("/", post.get_absolute_url()):
        response = requests.get(live_server.url + path, timeout=30)
        assert response.status_code == 200
        assert f'<link rel="micropub" href="{endpoint}">' in response.text
        assert response.headers["Link"] == f'<{endpoint}>; rel="micropub"'
        assert response.links["micropub"]["url"] == endpoint
    feed = requests.get(live_server.url + "/feed/", timeout=30)
    assert "Link" not in feed.headers


def test_a_page_served_from_the_page_cache_keeps_the_link_header(
    live_server, post_factory, settings
):
    settings.AFTERWORD_PAGE_CACHE = True
    post = post_factory(title="Cached")
    address = live_server.url + post.get_absolute_url()
    first = requests.get(address, timeout=30)
    again = requests.get(address, timeout=30)
    assert (first.headers["X-Page-Cache"], again.headers["X-Page-Cache"]) == (
        "miss",
        "hit",
    )
    assert again.headers["Link"] == first.headers["Link"]
    assert again.links["micropub"]["url"] == settings.SITE_URL + "/micropub"
