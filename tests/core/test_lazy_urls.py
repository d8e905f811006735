"""The API's routes are imported on its first request, not on a page's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import resolve, reverse

SCRIPT = """
import sys
import django
django.setup()
from django.test import Client
from django.urls import reverse
reverse("posts:home")
client = Client(HTTP_HOST="127.0.0.1")
print(client.get("/sitemap.xml").status_code, client.get("/feed/").status_code)
print("before", "ninja" in sys.modules)
print(client.get("/api/v1/posts").status_code)
print("after", "ninja" in sys.modules)
"""


@pytest.mark.django_db
def test_the_api_is_reversed_and_resolved_through_its_namespace():
    assert reverse("api:docs") == "/api/v1/docs"
    assert resolve("/api/v1/docs").view_name == "api:docs"


def test_a_process_serving_pages_never_imports_the_api(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
        "AFTERWORD_DATA_DIR": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "-m", "afterword.cli", "migrate", "-v0"], env=env, check=True
    )
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    # The API answers (here: asks for a token) once it is asked.
    assert out[:4] == ["200 200", "before False", "401", "after True"]
