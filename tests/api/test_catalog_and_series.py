"""Works, people, credits, series and planned parts through the API."""

from __future__ import annotations

import pytest

from afterword.catalog.models import Credit, Person, Work
from afterword.credentials import scopes
from afterword.series.models import Series, SeriesPart

pytestmark = pytest.mark.django_db


def test_a_work_its_people_and_credits(api_as):
    api = api_as("editor")
    work = api.post(
        "/api/v1/works", {"title": "Millennium Actress", "year": 2001, "kind": "film"}
    )
    assert work.status_code == 201, work.content
    work = work.json()
    assert work["slug"] == "millennium-actress"
    person = api.post("/api/v1/people", {"name": "Satoshi Kon"}).json()
    credit = api.post(
        f"/api/v1/works/{work['id']}/credits",
        {"person": person["id"], "role": "director"},
    )
    assert credit.status_code == 201, credit.content
    listed = api.get(f"/api/v1/works/{work['id']}/credits").json()["items"]
    assert [(c["person"], c["role"]) for c in listed] == [(person["id"], "director")]

    url = f"/api/v1/works/{work['id']}"
    tag = api.get(url)["ETag"]
    assert api.patch(url, {"runtime": 87}, headers={"If-Match": tag}).status_code == 200
    assert api.patch(url, {"runtime": 90}, headers={"If-Match": tag}).status_code == 412
    assert Work.objects.get().runtime == 87

    assert (
        api.get("/api/v1/works?search=actress").json()["items"][0]["id"] == (work["id"])
    )
    unknown_role = api.post(
        f"/api/v1/works/{work['id']}/credits",
        {"person": person["id"], "role": "juggler"},
    )
    assert unknown_role.status_code == 422
    assert "role" in unknown_role.json()["error"]["fields"]
    bad_kind = api.patch(url, {"kind": "opera"})
    assert bad_kind.status_code == 422
    assert "kind" in bad_kind.json()["error"]["fields"]

    assert api.delete(f"/api/v1/credits/{credit.json()['id']}").status_code == 204
    assert api.delete(f"/api/v1/people/{person['id']}").status_code == 204
    assert api.delete(url).status_code == 204
    assert not (Work.objects.exists() or Person.objects.exists())
    assert not Credit.objects.exists()


def test_a_work_cannot_be_its_own_parent(api_as):
    api = api_as("editor")
    work = api.post("/api/v1/works", {"title": "Loop"}).json()
    response = api.patch(f"/api/v1/works/{work['id']}", {"parent": work["id"]})
    assert response.status_code == 422
    assert Work.objects.get().parent_id is None


def test_catalog_writes_need_the_catalog_scope_and_role(api_as):
    no_scope = api_as("editor", scopes_={scopes.READ, scopes.DRAFT})
    refused = no_scope.post("/api/v1/works", {"title": "Tokyo Godfathers"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"
    contributor = api_as("contributor")
    assert contributor.post("/api/v1/works", {"title": "x"}).status_code == 403
    assert not Work.objects.exists()


def test_a_series_with_written_and_planned_parts(api_as, post_factory):
    api = api_as("editor")
    series = api.post(
        "/api/v1/series", {"title": "Kon, film by film", "description": "*All* four."}
    )
    assert series.status_code == 201, series.content
    series = series.json()
    assert series["description_html"] == "<p><em>All</em> four.</p>\n"
    post = post_factory(author=api.user, slug="perfect-blue")
    first = api.post(
        f"/api/v1/series/{series['id']}/parts", {"post": post.pk, "position": 1}
    )
    assert first.status_code == 201, first.content
    planned = api.post(
        f"/api/v1/series/{series['id']}/parts",
        {"planned_title": "Paprika", "position": 2, "expected_date": "2027-01-15"},
    )
    assert planned.status_code == 201
    clash = api.post(
        f"/api/v1/series/{series['id']}/parts",
        {"planned_title": "Paranoia Agent", "position": 2},
    )
    assert clash.status_code == 422
    assert "position" in clash.json()["error"]["fields"]
    untitled = api.post(f"/api/v1/series/{series['id']}/parts", {"position": 3})
    assert untitled.status_code == 422
    parts = api.get(f"/api/v1/series/{series['id']}/parts").json()["items"]
    assert [(p["position"], p["post"], p["planned_title"]) for p in parts] == [
        (1, post.pk, ""),
        (2, None, "Paprika"),
    ]
    part_url = f"/api/v1/series/{series['id']}/parts/{planned.json()['id']}"
    moved = api.patch(part_url, {"position": 3})
    assert moved.json()["position"] == 3
    assert api.delete(part_url).status_code == 204
    assert api.delete(f"/api/v1/series/{series['id']}").status_code == 204
    assert not Series.objects.exists() and not SeriesPart.objects.exists()
    post.refresh_from_db()  # the post stays


def test_terms(api_as):
    editor = api_as("editor")
    tag = editor.post("/api/v1/tags", {"name": "Studio Ghibli"})
    assert tag.status_code == 201
    tag = tag.json()
    assert tag["slug"] == "studio-ghibli"
    assert (
        editor.post(
            "/api/v1/tags", {"name": "Ghibli", "slug": "studio-ghibli"}
        ).status_code
        == 422
    )
    parent = editor.post("/api/v1/categories", {"name": "Reviews"}).json()
    child = editor.post(
        "/api/v1/categories", {"name": "Film reviews", "parent": parent["id"]}
    ).json()
    assert child["parent"] == parent["id"]
    cycle = editor.patch(f"/api/v1/categories/{parent['id']}", {"parent": child["id"]})
    assert cycle.status_code == 422
    assert "parent" in cycle.json()["error"]["fields"]
    renamed = editor.patch(f"/api/v1/tags/{tag['id']}", {"name": "Ghibli"})
    assert renamed.json()["name"] == "Ghibli"
    drafts_only = api_as("author", scopes_={scopes.READ, scopes.DRAFT})
    assert drafts_only.post("/api/v1/tags", {"name": "New"}).status_code == 201
    refused = drafts_only.delete(f"/api/v1/tags/{tag['id']}")
    assert refused.status_code == 403
    assert editor.delete(f"/api/v1/tags/{tag['id']}").status_code == 204
    names = [t["name"] for t in editor.get("/api/v1/tags").json()["items"]]
    assert names == ["New"]


def test_a_part_without_a_position_goes_after_the_last(api_as):
    api = api_as("editor")
    series = api.post("/api/v1/series", {"title": "Satoshi Kon"}).json()
    parts = f"/api/v1/series/{series['id']}/parts"
    first = api.post(parts, {"planned_title": "Perfect Blue", "position": 4})
    assert first.status_code == 201
    placed = api.post(parts, {"planned_title": "Millennium Actress", "position": None})
    assert placed.status_code == 201, placed.content
    assert placed.json()["position"] == 5
    unplaced = api.post(parts, {"planned_title": "Tokyo Godfathers"})
    assert unplaced.json()["position"] == 6


def test_nul_in_any_text_is_refused_before_it_reaches_the_database(api_as):
    from afterword.media.models import Image
    from afterword.series.models import Series

    api = api_as("editor")
    json_body = api.post("/api/v1/series", {"title": "Bad\x00title"})
    assert json_body.status_code == 422
    assert "NUL" in json_body.json()["error"]["message"]
    form = api.post(
        "/api/v1/media",
        {"alt_text": "A still\x00", "file": b""},
        content_type="multipart/form-data",
    )
    assert form.status_code == 422
    assert "NUL" in form.json()["error"]["message"]
    query = api.get("/api/v1/posts?search=Paprika%00")
    assert query.status_code == 422
    assert "NUL" in query.json()["error"]["message"]
    assert not Series.objects.exists() and not Image.objects.exists()
