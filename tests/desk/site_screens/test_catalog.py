"""The Catalog screen: lists with counts, and the work and person forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.catalog.actions import link_post_to_work, save_catalog_object
from afterword.catalog.models import Person, Work

pytestmark = pytest.mark.django_db


def work(title, slug, **kwargs):
    return save_catalog_object(Work(title=title, slug=slug, **kwargs))


def test_works_are_listed_with_their_post_counts(
    signed_in, post_factory, writer, django_assert_num_queries, record_property
):
    desk = signed_in("editor")
    paprika = work("Paprika", "paprika", year=2006, kind="anime_film")
    work("Tokyo Godfathers", "tokyo-godfathers", year=2003, kind="anime_film")
    for n in range(3):
        link_post_to_work(post_factory(author=writer, slug=f"p{n}"), paprika)
    response = desk.get(reverse("desk:catalog"))
    html = response.content.decode()
    assert response.status_code == 200
    entries = {e["item"].slug: e["posts"] for e in response.context["rows"]}
    assert entries == {"paprika": 3, "tokyo-godfathers": 0}
    assert paprika.get_absolute_url() in html
    assert reverse("desk:catalog_edit", args=["works", paprika.pk]) in html
    # More works cost no more queries: the counts are one grouped query.
    desk.get(reverse("desk:catalog"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        desk.get(reverse("desk:catalog"))
    for n in range(10):
        work(f"Film {n}", f"film-{n}", year=2000 + n)
    with django_assert_num_queries(len(few)):
        desk.get(reverse("desk:catalog"))
    record_property("figure", f"desk catalog list queries: {len(few)}")


def test_search_and_kind_filter(signed_in):
    desk = signed_in("author")
    work("Paprika", "paprika", kind="anime_film", original_title="パプリカ")
    work("Paprika", "paprika-novel", kind="novel")
    work("Perfect Blue", "perfect-blue", kind="anime_film")
    response = desk.get(reverse("desk:catalog"), {"q": "パプリカ"})
    assert [e["item"].slug for e in response.context["rows"]] == ["paprika"]
    response = desk.get(reverse("desk:catalog"), {"q": "paprika", "kind": "novel"})
    assert [e["item"].slug for e in response.context["rows"]] == ["paprika-novel"]
    # Nonsense in the address is ignored, never an error.
    response = desk.get(
        reverse("desk:catalog"),
        {"list": "nope", "kind": "<b>", "page": "x" * 50, "q": "z" * 1000},
    )
    assert response.status_code == 200


def test_people_and_organisations_lists(signed_in):
    desk = signed_in("editor")
    save_catalog_object(Person(name="Satoshi Kon", slug="satoshi-kon"))
    html = desk.get(reverse("desk:catalog"), {"list": "people"}).content.decode()
    assert "Satoshi Kon" in html
    response = desk.get(reverse("desk:catalog"), {"list": "organisations"})
    assert response.status_code == 200


def test_creating_a_work(signed_in):
    desk = signed_in("author")
    response = desk.post(
        reverse("desk:catalog_new", args=["works"]),
        {"title": "Millennium Actress", "kind": "anime_film", "year": "2001"},
    )
    made = Work.objects.get(title="Millennium Actress")
    assert response.status_code == 302
    assert made.slug == "millennium-actress"
    assert made.year == 2001


def test_editing_a_work_and_bad_input_keeps_it(signed_in):
    desk = signed_in("editor")
    paprika = work("Paprika", "paprika", year=2006)
    url = reverse("desk:catalog_edit", args=["works", paprika.pk])
    page = desk.get(url).content.decode()
    assert reverse("admin:catalog_work_change", args=[paprika.pk]) in page
    response = desk.post(
        url,
        {
            "title": "Paprika (film)",
            "kind": "anime_film",
            "year": "two thousand",
            "synopsis": "A dream detective.",
            "slug": "paprika",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a whole number." in html
    assert 'value="Paprika (film)"' in html
    assert "A dream detective." in html
    paprika.refresh_from_db()
    assert paprika.title == "Paprika"

    response = desk.post(
        url,
        {
            "title": "Paprika (film)",
            "kind": "anime_film",
            "year": "2006",
            "slug": "paprika",
        },
    )
    assert response.status_code == 302
    paprika.refresh_from_db()
    assert paprika.title == "Paprika (film)"


def test_a_taken_address_is_a_form_error(signed_in):
    desk = signed_in("editor")
    work("Paprika", "paprika")
    response = desk.post(
        reverse("desk:catalog_new", args=["works"]),
        {"title": "Paprika", "kind": "novel", "slug": "paprika"},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Work.objects.count() == 1


def test_creating_and_editing_a_person(signed_in):
    desk = signed_in("editor")
    response = desk.post(
        reverse("desk:catalog_new", args=["people"]),
        {"name": "Satoshi Kon", "native_name": "今 敏"},
    )
    kon = Person.objects.get(slug="satoshi-kon")
    assert response.status_code == 302
    response = desk.post(
        reverse("desk:catalog_edit", args=["people", kon.pk]),
        {"name": "Kon Satoshi", "native_name": "今 敏", "slug": "satoshi-kon"},
    )
    kon.refresh_from_db()
    assert kon.name == "Kon Satoshi"


def test_a_title_with_no_latin_letters_asks_for_an_address(signed_in):
    desk = signed_in("editor")
    response = desk.post(
        reverse("desk:catalog_new", args=["works"]),
        {"title": "パプリカ", "kind": "film"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give an address" in html
    assert 'value="パプリカ"' in html


def test_an_author_cannot_edit_or_delete_works(signed_in):
    desk = signed_in("author")
    paprika = work("Paprika", "paprika")
    assert (
        desk.get(reverse("desk:catalog_edit", args=["works", paprika.pk])).status_code
        == 403
    )
    response = desk.post(
        reverse("desk:catalog_delete", args=["works", paprika.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 403
    assert Work.objects.filter(pk=paprika.pk).exists()


def test_a_contributor_cannot_create_works(signed_in):
    desk = signed_in("contributor")
    assert desk.get(reverse("desk:catalog")).status_code == 200
    response = desk.post(
        reverse("desk:catalog_new", args=["works"]),
        {"title": "Paprika", "kind": "film"},
    )
    assert response.status_code == 403
    assert not Work.objects.exists()


def test_deleting_a_work_with_parts_is_refused(signed_in):
    desk = signed_in("editor")
    memories = work("Memories", "memories")
    work("Magnetic Rose", "magnetic-rose", parent=memories)
    url = reverse("desk:catalog_delete", args=["works", memories.pk])
    response = desk.post(url, {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert "has parts" in response.content.decode()
    assert Work.objects.filter(pk=memories.pk).exists()
    response = desk.post(reverse("desk:catalog_delete", args=["works", 9999]))
    assert response.status_code == 404


def test_deleting_needs_the_box_ticked(signed_in):
    desk = signed_in("editor")
    paprika = work("Paprika", "paprika")
    url = reverse("desk:catalog_delete", args=["works", paprika.pk])
    desk.post(url)
    assert Work.objects.filter(pk=paprika.pk).exists()
    desk.post(url, {"confirm": "yes"})
    assert not Work.objects.filter(pk=paprika.pk).exists()


def test_an_unknown_list_is_not_found(signed_in):
    desk = signed_in("editor")
    assert desk.get("/desk/catalog/films/new/").status_code == 404
