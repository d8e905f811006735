"""The OpenAPI schema, the reference page, and answers outside the routes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

pytestmark = pytest.mark.django_db

ERRORS = {"400", "401", "403", "404", "405", "412", "413", "422", "429"}


def test_the_schema_is_valid_openapi_3_1_and_declares_every_error():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    validate(schema, cls=OpenAPIV31SpecValidator)
    assert schema["components"]["securitySchemes"] == {
        "AppPassword": {"type": "http", "scheme": "basic"},
        "Token": {"type": "http", "scheme": "bearer"},
    }
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            answers = operation["responses"]
            assert set(answers) >= ERRORS, (method, path)
            for status in ERRORS:
                body = answers[status]["content"]["application/json"]["schema"]
                assert body == error_ref, (method, path, status)
            assert operation["security"] == [{"AppPassword": []}, {"Token": []}]
            names = {p["name"] for p in operation.get("parameters", [])}
            if method in ("patch", "delete"):
                assert "If-Match" in names, (method, path)
            if method == "get":
                assert "If-None-Match" in names and "304" in answers


def test_the_reference_page_renders_the_schema_without_outside_scripts():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    schema = Client().get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html
    assert 'id="schema-PostOut"' in html
    assert "swagger" not in html.lower() and "cdn" not in html.lower()
    for src in re.findall(r'<script[^>]*src="([^"]+)"', html):
        assert src.startswith("/static/"), src
    csp = response.headers["Content-Security-Policy"]
    nonces = set(re.findall(r"'nonce-([^']+)'", csp))
    for tag in re.findall(r"<script[^>]*>", html):
        assert any(f'nonce="{n}"' in tag for n in nonces) or "src=" in tag, tag


def test_the_page_cache_keeps_away_from_the_api(settings, api_as):
    settings.AFTERWORD_PAGE_CACHE = True
    for _ in range(2):
        schema = Client().get("/api/v1/openapi.json")
        docs = Client().get("/api/v1/docs")
    assert "X-Page-Cache" not in schema.headers
    assert "X-Page-Cache" not in docs.headers
    api = api_as("editor")
    api.post("/api/v1/posts", {"title": "Only mine"})
    for _ in range(2):
        listed = api.get("/api/v1/posts")
    assert "X-Page-Cache" not in listed.headers
    assert Client().get("/api/v1/posts").status_code == 401


def test_unknown_addresses_and_methods_answer_with_the_error_object(api_as):
    api = api_as("editor")
    missing = api.get("/api/v1/nothing/here")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = api.request("PUT", "/api/v1/posts")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"
    assert set(wrong["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    no_post = api.get("/api/v1/posts/999999")
    assert no_post.status_code == 404
    assert no_post.json()["error"]["message"]
