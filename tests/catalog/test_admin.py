"""The catalog in the admin, and the post editor's catalog inlines."""

import pytest
from django.urls import reverse

from afterword.catalog.models import PostMention, PostWork, Work
from afterword.posts.models import Post


@pytest.fixture
def desk(client, writer):
    client.force_login(writer)
    return client


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def post_form(writer, works=(), **overrides) -> dict:
    data = {
        "title": "Rose, again",
        "slug": "rose-again",
        "body": "Thinking about [[Magnetic Rose]] and [[Yoko Kanno]].",
        "excerpt": "",
        "status": Post.Status.PUBLISHED,
        "published_at": "",
        "author": writer.pk,
        "comments_open": "on",
        "revision_note": "",
        **management("catalog_works", len(works)),
        **management("catalog_mentions", 0),
    }
    for i, link in enumerate(works):
        for key, value in link.items():
            data[f"catalog_works-{i}-{key}"] = value
    data.update(overrides)
    return data


def test_writer_links_a_post_to_a_work_with_a_rating(
    desk, writer, catalog, django_capture_on_commit_callbacks
):
    rose = catalog["magnetic-rose-1995"]
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("admin:posts_post_add"),
            post_form(writer, [{"work": rose.pk, "is_primary": "on", "rating": "4.5"}]),
        )
    assert response.status_code == 302, response.context["errors"]
    link = PostWork.objects.get()
    assert (link.work, str(link.rating), link.is_primary) == (rose, "4.5", True)
    mentioned = {
        (m.work_id, m.person_id and m.person.slug)
        for m in PostMention.objects.filter(post=link.post)
    }
    assert mentioned == {(rose.pk, None), (None, "yoko-kanno")}


def test_a_rating_out_of_range_is_a_form_error_and_nothing_is_saved(
    desk, writer, catalog
):
    rose = catalog["magnetic-rose-1995"]
    response = desk.post(
        reverse("admin:posts_post_add"),
        post_form(writer, [{"work": rose.pk, "is_primary": "on", "rating": "7"}]),
    )
    assert response.status_code == 200
    assert "A rating must be between 0 and 5; 7 is not." in response.content.decode()
    assert Post.objects.count() == 0
    assert PostWork.objects.count() == 0


def test_two_primary_works_is_a_form_error(desk, writer, catalog):
    response = desk.post(
        reverse("admin:posts_post_add"),
        post_form(
            writer,
            [
                {"work": catalog["memories-1995"].pk, "is_primary": "on"},
                {"work": catalog["akira-1988"].pk, "is_primary": "on"},
            ],
        ),
    )
    assert response.status_code == 200
    assert "Mark only one work as the primary one." in response.content.decode()
    assert Post.objects.count() == 0


def test_work_admin_refuses_a_cycle_with_a_clear_message(desk, catalog):
    memories = catalog["memories-1995"]
    data = {
        "title": "Memories",
        "slug": "memories-1995",
        "kind": "anime_film",
        "year": "1995",
        "parent": catalog["magnetic-rose-1995"].pk,
        "part_order": "0",
        "original_title": "MEMORIES",
        "alternative_titles": "",
        "runtime": "113",
        "country": "Japan",
        "synopsis": "Three films.",
        "image": "",
        **management("credits", 0),
        **management("parts", 0),
        **management("releases", 0),
        **management("relations_out", 0),
    }
    response = desk.post(reverse("admin:catalog_work_change", args=[memories.pk]), data)
    assert response.status_code == 200
    assert (
        "“Magnetic Rose (1995)” is already a part of “Memories (1995)”"
        in response.content.decode()
    )
    memories.refresh_from_db()
    assert memories.parent is None
    assert memories.synopsis.startswith("Three short films")


def test_credit_for_a_person_who_does_not_exist_is_refused(desk, catalog):
    akira = catalog["akira-1988"]
    data = {
        "title": "Akira",
        "slug": "akira-1988",
        "kind": "anime_film",
        "year": "1988",
        "parent": "",
        "part_order": "0",
        "runtime": "124",
        **management("credits", 1),
        "credits-0-role": "2",
        "credits-0-person": "999999",
        "credits-0-organisation": "",
        "credits-0-character_name": "",
        **management("parts", 0),
        **management("releases", 0),
        **management("relations_out", 0),
    }
    response = desk.post(reverse("admin:catalog_work_change", args=[akira.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert akira.credits.count() == 4


def test_autocomplete_finds_works_by_original_title(desk, catalog):
    response = desk.get(
        reverse("admin:autocomplete"),
        {
            "term": "千年",
            "app_label": "catalog",
            "model_name": "postwork",
            "field_name": "work",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == [
        "Millennium Actress (2001)"
    ]


def test_preview_reports_unknown_references(desk, catalog):
    response = desk.post(
        reverse("admin:posts_post_preview"), {"body": "See [[Nonexistent Film]]."}
    )
    assert response.json()["warnings"] == [
        "Reference [[Nonexistent Film]]: Nothing in the catalog is called "
        "“Nonexistent Film”."
    ]


def test_catalog_admin_pages_open(desk, catalog):
    for name in ["work", "person", "organisation", "role"]:
        assert desk.get(reverse(f"admin:catalog_{name}_changelist")).status_code == 200
    assert (
        desk.get(
            reverse("admin:catalog_work_change", args=[catalog["memories-1995"].pk])
        ).status_code
        == 200
    )
    assert Work.objects.count() == 14
