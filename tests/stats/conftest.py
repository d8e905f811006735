"""Helpers for the reading figures: a page's beacon token, a beacon post."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import caches

TOKEN = re.compile(r'data-stats-page="([^"]*)"')


def token_in(page_html: str) -> str:
    """The token the theme printed on the beacon's script tag ("" if none)."""
    found = TOKEN.search(page_html)
    assert found, "the page has no beacon script tag"
    return html.unescape(found.group(1))


def page_token(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return token_in(response.content.decode())


def beacon(client, data: dict, **headers):
    return client.post("/stats/hit", data, **headers)


@pytest.fixture(autouse=True)
def _flood_counters_empty():
    """Each test starts with fresh per-minute beacon counters."""
    caches["default"].clear()
