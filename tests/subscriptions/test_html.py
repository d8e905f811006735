"""The pages of series and following are valid HTML (W3C Nu HTML checker)."""

from __future__ import annotations

import json
import subprocess

import pytest
from django.urls import reverse

from afterword.subscriptions import tokens
from tests.theme.conftest import vnu_jar  # noqa: F401

pytestmark = pytest.mark.django_db


def test_series_and_follow_pages_are_valid_html(
    client,
    memories,
    follower,
    follow_form,
    vnu_jar,  # noqa: F811
    tmp_path,
):
    series, one, _two = memories
    subscriber = follower("reader@example.test", "site")
    token = tokens.manage_token(subscriber)
    pages = {
        "part page": client.get(one.get_absolute_url()),
        "series page": client.get(series.get_absolute_url()),
        "series index": client.get(reverse("series:index")),
        "follow sent": follow_form("new@example.test", f"series:{series.pk}"),
        "follow refused": follow_form("not-an-address"),
        "preferences": client.get(reverse("subscriptions:manage", args=[token])),
        "unsubscribe": client.get(reverse("subscriptions:unsubscribe", args=[token])),
        "bad link": client.get(reverse("subscriptions:confirm", args=["x:y"])),
    }
    files = {}
    for n, (name, response) in enumerate(pages.items()):
        path = tmp_path / f"page-{n}.html"
        path.write_bytes(response.content)
        files[path.name] = name
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--errors-only"]
        + [
            "--exit-zero-always",
            *(str(tmp_path / f"page-{n}.html") for n in range(len(files))),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}: "
        f"{m['message']} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages
    ]
    assert errors == []
