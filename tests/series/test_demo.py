"""The demo site has the Memories series with a planned part."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from afterword.series.models import Series

pytestmark = pytest.mark.django_db


def test_demo_has_memories_with_part_one_live_part_two_draft_part_three_planned(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
        call_command("load_demo", "--force", verbosity=0)  # twice: nothing doubles

    series = Series.objects.get(slug="memories")
    parts = list(series.parts.select_related("post"))
    assert [p.position for p in parts] == [1, 2, 3]
    assert parts[0].post.slug == "memories-part-1-magnetic-rose"
    assert parts[0].is_published()
    assert parts[1].post.slug == "memories-part-2-stink-bomb"
    assert not parts[1].is_published()
    assert parts[2].post is None
    assert parts[2].expected_date is not None
    html = client.get(series.get_absolute_url()).content.decode()
    assert "1 of 3 published" in html
    expected = parts[2].expected_date.strftime("%B %Y")
    assert (
        "Memories, Part 3: Cannon Fodder</span> "
        f'<span class="series-soon">coming soon (expected {expected})' in html
    )
    part_one = client.get(parts[0].post.get_absolute_url()).content.decode()
    assert "Part 1 of 3 in the series" in part_one
