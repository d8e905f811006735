"""An imported post, seen in Chromium: captioned images and threaded comments."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from afterword.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_imported_captions_and_threaded_comments_show_right(
    live_server, page, wxr_dir, settings
):
    settings.SITE_URL = live_server.url
    call_command(
        "import_wxr",
        str(wxr_dir / "theme-unit-test-data.xml"),
        stdout=StringIO(),
        stderr=StringIO(),
    )

    aligned = Post.objects.get(title="Markup: Image Alignment")
    page.goto(live_server.url + aligned.get_absolute_url())
    figures = page.locator("article figure.figure")
    assert figures.count() == 5  # the post has five [caption] shortcodes
    first = figures.nth(0)
    assert first.locator("img").get_attribute("alt") == "Image Alignment 580x300"
    assert first.locator("figcaption").inner_text() == (
        "Look at 580x300 getting some caption love."
    )
    assert first.locator("figcaption a").inner_text() == "caption"

    threaded = Post.objects.get(title="Template: Comments")
    page.goto(live_server.url + threaded.get_absolute_url())
    approved = threaded.comments.filter(status="approved")
    assert page.locator("li.comment").count() == approved.count()
    # A reply is drawn inside its parent's list of replies.
    reply = approved.filter(parent__isnull=False, parent__status="approved").first()
    nested = page.locator(
        f"#comment-{reply.parent_id} > ol.children > li#comment-{reply.pk}"
    )
    assert nested.count() == 1
    assert reply.author_name in nested.locator(".comment-author").first.inner_text()
    # Held comments from the old site stay out of sight.
    held = threaded.comments.filter(status="pending").first()
    if held is not None:
        assert page.locator(f"#comment-{held.pk}").count() == 0
