"""The pipeline as posts use it: stored HTML and summaries from save_post."""

import pytest

pytestmark = pytest.mark.django_db


def test_saved_post_stores_sanitised_html_and_a_summary_without_spoilers(
    post_factory,
):
    post = post_factory(
        body=(
            "The *opening* is the best part.\n\n"
            "::: spoiler The twist\nIt was all a dream.\n:::\n\n"
            "<script>alert(1)</script>[Trailer](javascript:alert(2))\n\n"
            "https://youtu.be/dQw4w9WgXcQ"
        ),
        excerpt="",
    )

    assert "<script" not in post.body_html
    assert 'href="javascript' not in post.body_html
    assert '<details class="spoiler" id="spoiler-1">' in post.body_html
    assert 'data-video-id="dQw4w9WgXcQ"' in post.body_html
    assert "dream" not in post.summary
    assert (
        post.summary == "The opening is the best part. [Trailer](javascript:alert(2))"
    )
