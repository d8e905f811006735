"""The Series screen: parts published and planned, forms, drafting a part."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.posts.models import Post
from afterword.series.actions import save_part, save_series
from afterword.series.models import Series, SeriesPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def memories(post_factory, writer):
    series = save_series(Series(title="Memories", slug="memories"))
    post = post_factory(author=writer, title="Magnetic Rose")
    save_part(SeriesPart(series=series, position=1, post=post))
    save_part(
        SeriesPart(
            series=series,
            position=2,
            planned_title="Stink Bomb",
            expected_date=timezone.localdate() - datetime.timedelta(days=10),
        )
    )
    save_part(
        SeriesPart(
            series=series,
            position=3,
            planned_title="Cannon Fodder",
            expected_date=timezone.localdate() + datetime.timedelta(days=40),
        )
    )
    return series


def test_the_list_shows_published_and_planned_parts(
    signed_in, memories, django_assert_num_queries, record_property
):
    desk = signed_in("contributor")
    response = desk.get(reverse("desk:series"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Magnetic Rose" in html
    assert "Stink Bomb" in html and "Cannon Fodder" in html
    parts = response.context["shown"][0]["parts"]
    assert [(p["state"], p["overdue"]) for p in parts] == [
        ("published", False),
        ("planned", True),
        ("planned", False),
    ]
    assert html.count('class="overdue"') == 1
    # Another series with more parts costs no more queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        desk.get(reverse("desk:series"))
    other = save_series(Series(title="Akira", slug="akira"))
    for n in range(6):
        save_part(SeriesPart(series=other, position=n + 1, planned_title=f"Part {n}"))
    with django_assert_num_queries(len(one)):
        desk.get(reverse("desk:series"))
    record_property("figure", f"desk series list queries: {len(one)}")


def test_creating_a_series(signed_in):
    desk = signed_in("author")
    response = desk.post(
        reverse("desk:series_new"),
        {"title": "Kon's films", "description": "*All* of them.", "title_pattern": ""},
    )
    series = Series.objects.get()
    assert response.status_code == 302
    assert series.slug == "kons-films"
    assert "<em>All</em>" in series.description_html


def test_a_bad_series_keeps_the_input(signed_in, memories):
    desk = signed_in("author")
    response = desk.post(
        reverse("desk:series_new"),
        {"title": "Memories again", "description": "Kept text", "slug": "memories"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "already exists" in html
    assert "Kept text" in html


def parts_data(series, **overrides):
    parts = list(series.parts.order_by("position"))
    data = {
        "which": "parts",
        "parts-TOTAL_FORMS": len(parts) + 1,
        "parts-INITIAL_FORMS": len(parts),
        "parts-MIN_NUM_FORMS": 0,
        "parts-MAX_NUM_FORMS": 1000,
    }
    for n, part in enumerate(parts):
        data[f"parts-{n}-id"] = part.pk
        data[f"parts-{n}-position"] = part.position
        data[f"parts-{n}-planned_title"] = part.planned_title
        data[f"parts-{n}-expected_date"] = (
            part.expected_date.isoformat() if part.expected_date else ""
        )
    data.update(overrides)
    return data


def test_planning_and_reordering_parts(signed_in, memories):
    desk = signed_in("author")
    url = reverse("desk:series_edit", args=[memories.pk])
    assert desk.get(url).status_code == 200
    data = parts_data(
        memories,
        **{
            "parts-1-position": 3,
            "parts-2-position": 2,
            "parts-3-position": 4,
            "parts-3-planned_title": "Epilogue",
            "parts-3-expected_date": "2031-05-01",
        },
    )
    response = desk.post(url, data)
    assert response.status_code == 302
    titles = [p.title for p in memories.parts.order_by("position")]
    assert titles == ["Magnetic Rose", "Cannon Fodder", "Stink Bomb", "Epilogue"]


def test_a_position_clash_is_refused_and_the_input_kept(signed_in, memories):
    desk = signed_in("author")
    url = reverse("desk:series_edit", args=[memories.pk])
    data = parts_data(
        memories,
        **{"parts-3-position": 2, "parts-3-planned_title": "The Fourth Memory"},
    )
    response = desk.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "share position 2" in html
    assert 'value="The Fourth Memory"' in html
    assert memories.parts.count() == 3


def test_a_bad_date_is_a_field_error(signed_in, memories):
    desk = signed_in("author")
    url = reverse("desk:series_edit", args=[memories.pk])
    response = desk.post(url, parts_data(memories, **{"parts-1-expected_date": "soon"}))
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_removing_a_part(signed_in, memories):
    desk = signed_in("author")
    url = reverse("desk:series_edit", args=[memories.pk])
    desk.post(url, parts_data(memories, **{"parts-2-DELETE": "on"}))
    assert not memories.parts.filter(planned_title="Cannon Fodder").exists()


def test_drafting_a_planned_part(signed_in, memories):
    desk = signed_in("author", "ada")
    part = memories.parts.get(planned_title="Stink Bomb")
    response = desk.post(reverse("desk:series_draft", args=[part.pk]))
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.post.title == "Stink Bomb"
    assert part.post.status == Post.Status.DRAFT
    assert part.post.author.username == "ada"
    # A second click is refused with a message, not an error page.
    again = desk.post(reverse("desk:series_draft", args=[part.pk]), follow=True)
    assert again.status_code == 200
    assert "already has a post" in again.content.decode()


def test_a_contributor_cannot_edit_a_series(signed_in, memories):
    desk = signed_in("contributor")
    url = reverse("desk:series_edit", args=[memories.pk])
    assert desk.get(url).status_code == 403
    assert (
        desk.post(url, parts_data(memories, **{"parts-1-position": 9})).status_code
        == 403
    )
    assert desk.get(reverse("desk:series_new")).status_code == 403


def test_deleting_a_series_keeps_its_posts(signed_in, memories):
    desk = signed_in("editor")
    desk.post(reverse("desk:series_delete", args=[memories.pk]), {"confirm": "yes"})
    assert not Series.objects.exists()
    assert Post.objects.filter(title="Magnetic Rose").exists()
