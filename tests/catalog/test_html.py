"""Catalog pages are valid HTML (W3C Nu checker), like every page of the site."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

VNU_JAR = Path(__file__).resolve().parents[1] / "node" / "node_modules" / "vnu-jar"
VNU_JAR = VNU_JAR / "build" / "dist" / "vnu.jar"


def test_catalog_pages_are_valid_html(catalog, review, client, tmp_path):
    if not (shutil.which("java") and VNU_JAR.exists()):
        pytest.skip("java or vnu-jar is missing (cd tests/node && npm install)")
    post = review(
        catalog["magnetic-rose-1995"],
        rating="4.5",
        spoilers=True,
        body="About [[Memories (1995)]], [[Yoko Kanno]] and [[Nothing Here]].",
        # The theme prints the time with |date:"c"; whole seconds keep it valid.
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
    names = {}
    for n, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"page-{n}.html"
        path.write_bytes(response.content)
        names[f"file:{path}"] = url
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
        + [
            "--exit-zero-always",
            *(str(tmp_path / f"page-{n}.html") for n in range(len(urls))),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{names.get(m.get('url'), m.get('url'))}, line {m.get('lastLine')}: "
        + m["message"]
        for m in messages
    ]
    assert errors == []
