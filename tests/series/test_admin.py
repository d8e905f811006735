"""Managing series in the admin: plan, reorder, draft; bad input is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from afterword.posts.models import Post, Revision
from afterword.series import actions
from afterword.series.models import Series, SeriesPart

pytestmark = pytest.mark.django_db


def inline_data(series: Series, rows: list[dict], **fields) -> dict:
    """The series change form as the browser sends it."""
    existing = list(series.parts.order_by("position")) if series.pk else []
    data = {
        "title": fields.get("title", series.title),
        "slug": fields.get("slug", series.slug),
        "description": fields.get("description", series.description),
        "title_pattern": fields.get("title_pattern", series.title_pattern),
        "parts-TOTAL_FORMS": str(len(rows)),
        "parts-INITIAL_FORMS": str(len(existing)),
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        if i < len(existing):
            data[f"parts-{i}-id"] = str(existing[i].pk)
            data[f"parts-{i}-series"] = str(series.pk)
        for name, value in row.items():
            data[f"parts-{i}-{name}"] = "" if value is None else str(value)
    return data


def change_url(series: Series) -> str:
    return reverse("admin:series_series_change", args=[series.pk])


def test_writer_adds_a_series_with_a_published_and_a_planned_part(
    admin_client, post_factory, writer
):
    post = post_factory(author=writer, title="Magnetic Rose", slug="magnetic-rose")
    data = inline_data(
        Series(
            title="",
            slug="",
            description="",
            title_pattern="{series} Part {n}: {title}",
        ),
        [
            {"position": 1, "post": post.pk},
            {
                "position": 2,
                "planned_title": "Stink Bomb",
                "expected_date": "2027-06-01",
            },
        ],
        title="Memories",
        slug="memories",
        description="Three *short* films.",
    )
    response = admin_client.post(reverse("admin:series_series_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    series = Series.objects.get(slug="memories")
    assert series.description_html == "<p>Three <em>short</em> films.</p>\n"
    assert [(p.position, p.post_id, p.planned_title) for p in series.parts.all()] == [
        (1, post.pk, ""),
        (2, None, "Stink Bomb"),
    ]


def test_reordering_swaps_positions_in_one_save(admin_client, memories):
    series, one, two = memories
    data = inline_data(
        series,
        [
            {"position": 2, "post": one.pk},
            {"position": 1, "post": two.pk},
            {
                "position": 3,
                "planned_title": "Cannon Fodder",
                "expected_date": "2027-06-01",
            },
        ],
    )
    response = admin_client.post(change_url(series), data)

    assert response.status_code == 302
    assert list(series.parts.values_list("post__slug", flat=True)) == [
        "stink-bomb",
        "magnetic-rose",
        None,
    ]


def test_a_planned_part_without_a_title_is_refused_and_nothing_is_lost(
    admin_client, memories
):
    series, one, two = memories
    data = inline_data(
        series,
        [
            {"position": 1, "post": one.pk},
            {"position": 2, "post": two.pk},
            {
                "position": 3,
                "planned_title": "Cannon Fodder",
                "expected_date": "2027-06-01",
            },
            {"position": 4, "planned_title": "", "expected_date": "2027-09-01"},
        ],
        description="A new description.",
    )
    response = admin_client.post(change_url(series), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "A planned part needs a working title (or choose its post)." in html
    assert "A new description." in html  # the form comes back filled in
    series.refresh_from_db()
    assert series.description == "Three short films, *three* reviews."
    assert series.parts.count() == 3


def test_two_parts_in_the_same_position_are_refused(admin_client, memories):
    series, one, two = memories
    data = inline_data(
        series,
        [
            {"position": 1, "post": one.pk},
            {"position": 1, "post": two.pk},
            {
                "position": 3,
                "planned_title": "Cannon Fodder",
                "expected_date": "2027-06-01",
            },
        ],
    )
    response = admin_client.post(change_url(series), data)

    assert response.status_code == 200
    assert (
        "Two parts share position 1 (“Magnetic Rose” and “Stink Bomb”). "
        "Give each part its own position."
    ) in response.content.decode()
    assert list(series.parts.values_list("position", flat=True)) == [1, 2, 3]


def test_a_post_already_in_another_series_is_refused(
    admin_client, memories, make_series
):
    series, one, _two = memories
    other = make_series(title="Satoshi Kon", slug="satoshi-kon")
    data = inline_data(other, [{"position": 1, "post": one.pk}])

    response = admin_client.post(change_url(other), data)

    assert response.status_code == 200
    assert (
        "This post is already a part of the series “Memories”. "
        "A post can belong to one series only."
    ) in response.content.decode()
    assert other.parts.count() == 0
    assert SeriesPart.objects.get(post=one).series == series


def test_services_refuse_the_same_bad_input(memories):
    series, one, _two = memories
    with pytest.raises(ValidationError) as no_title:
        actions.save_part(SeriesPart(series=series, position=9))
    with pytest.raises(ValidationError) as clash:
        actions.save_part(SeriesPart(series=series, position=1, planned_title="X"))
    other = actions.save_series(Series(title="Other", slug="other"))
    with pytest.raises(ValidationError) as twice:
        actions.save_part(SeriesPart(series=other, position=1, post=one))

    assert no_title.value.message_dict == {
        "planned_title": ["A planned part needs a working title (or choose its post)."]
    }
    assert clash.value.message_dict["position"] == [
        "Position 1 is already taken by “Magnetic Rose”. "
        "Give each part its own position."
    ]
    assert (
        "already a part of the series “Memories”" in twice.value.message_dict["post"][0]
    )
    assert SeriesPart.objects.count() == 3


def test_admin_action_turns_a_planned_part_into_a_linked_draft(admin_client, memories):
    series, _one, _two = memories
    planned = series.parts.get(position=3)

    response = admin_client.post(
        reverse("admin:series_seriespart_changelist"),
        {"action": "draft_planned_parts", "_selected_action": [planned.pk]},
        follow=True,
    )

    assert "Created 1 draft post(s), linked to their parts: “Cannon Fodder”." in (
        response.content.decode()
    )
    planned.refresh_from_db()
    post = planned.post
    assert (post.title, post.slug, post.status) == (
        "Cannon Fodder",
        "cannon-fodder",
        Post.Status.DRAFT,
    )
    assert Revision.objects.filter(post=post).count() == 1
    # Running it again changes nothing and says why.
    again = admin_client.post(
        reverse("admin:series_seriespart_changelist"),
        {"action": "draft_planned_parts", "_selected_action": [planned.pk]},
        follow=True,
    )
    assert "“Cannon Fodder” already has a post." in again.content.decode()
    assert Post.objects.filter(title="Cannon Fodder").count() == 1


def test_admin_pages_render(admin_client, memories):
    series, _one, _two = memories
    assert admin_client.get(change_url(series)).status_code == 200
    assert (
        admin_client.get(reverse("admin:series_series_changelist")).status_code == 200
    )
    assert (
        admin_client.get(reverse("admin:series_seriespart_changelist")).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:series_series_add")).status_code == 200


def test_deleting_a_parts_post_keeps_the_part_in_its_place(client, memories):
    from afterword.posts.actions import delete_post

    series, _one, two = memories
    delete_post(two)

    html = client.get(series.get_absolute_url()).content.decode()
    # Back to its working title, in its place.
    assert "Memories Part 2: Stink Bomb</span>" in html
    assert "/stink-bomb/" not in html
    assert series.parts.count() == 3


def test_deleting_a_series_in_the_admin_keeps_its_posts(admin_client, memories):
    series, one, two = memories
    response = admin_client.post(
        reverse("admin:series_series_delete", args=[series.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Series.objects.exists()
    assert SeriesPart.objects.count() == 0
    assert Post.objects.filter(pk__in=[one.pk, two.pk]).count() == 2
