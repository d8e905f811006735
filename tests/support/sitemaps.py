"""Reading the sitemap as a crawler does: the index, then every part it names."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.urls import reverse

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def part_addresses(client) -> list[str]:
    """The path of every part the index at ``/sitemap.xml`` names."""
    response = client.get(reverse("feeds:sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [urlsplit(loc.text).path for loc in root.findall("s:sitemap/s:loc", NS)]


def sitemap_entries(client) -> dict[str, str | None]:
    """Every address of every part, with its ``lastmod`` (None when absent)."""
    entries: dict[str, str | None] = {}
    for path in part_addresses(client):
        response = client.get(path)
        assert response.status_code == 200, path
        for url in ET.fromstring(response.content).findall("s:url", NS):
            lastmod = url.find("s:lastmod", NS)
            entries[url.find("s:loc", NS).text] = getattr(lastmod, "text", None)
    return entries


def sitemap_text(client) -> str:
    """The text of every part, one after the other."""
    return "".join(client.get(path).content.decode() for path in part_addresses(client))
