"""Search-as-you-type and inline creation for the editor's panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.catalog.models import Person, Work
from afterword.posts.models import Tag

pytestmark = pytest.mark.django_db


def test_works_are_found_by_title_ten_at_most(client, author):
    for n in range(12):
        Work.objects.create(title=f"Stalker {n}", slug=f"stalker-{n}")
    Work.objects.create(title="Solaris", slug="solaris", original_title="Солярис")
    client.force_login(author)
    url = reverse("desk:editor_lookup", args=["works"])
    assert len(client.get(url, {"q": "stalk"}).json()["results"]) == 10
    assert client.get(url, {"q": "Солярис"}).json()["results"] == [
        {"id": Work.objects.get(slug="solaris").pk, "label": "Solaris"}
    ]
    assert client.get(url, {"q": ""}).json() == {"results": []}


def test_unknown_kind_is_not_found(client, author):
    client.force_login(author)
    url = reverse("desk:editor_lookup", args=["accounts"])
    assert client.get(url, {"q": "a"}).status_code == 404


def test_lookups_need_a_writer(client, db):
    url = reverse("desk:editor_lookup", args=["works"])
    assert client.get(url, {"q": "a"}).status_code == 302


def test_author_creates_a_work_and_a_person_inline(client, author):
    client.force_login(author)
    work = client.post(
        reverse("desk:editor_create", args=["works"]), {"name": "Mirror"}
    )
    person = client.post(
        reverse("desk:editor_create", args=["people"]), {"name": "Andrei Tarkovsky"}
    )
    assert work.status_code == person.status_code == 201
    assert Work.objects.get(pk=work.json()["id"]).slug == "mirror"
    assert Person.objects.get(pk=person.json()["id"]).slug == "andrei-tarkovsky"


def test_contributor_may_not_create_works(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("desk:editor_create", args=["works"]), {"name": "Mirror"}
    )
    assert response.status_code == 403
    assert "error" in response.json()
    assert not Work.objects.exists()


def test_same_tag_name_reuses_the_tag(client, author):
    Tag.objects.create(name="Zone", slug="zone")
    client.force_login(author)
    answer = client.post(
        reverse("desk:editor_create", args=["tags"]), {"name": "zone"}
    ).json()
    assert Tag.objects.count() == 1 and answer["label"] == "Zone"


def test_empty_name_is_refused(client, author):
    client.force_login(author)
    response = client.post(reverse("desk:editor_create", args=["works"]), {"name": " "})
    assert response.status_code == 400
