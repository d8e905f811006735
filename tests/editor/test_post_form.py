"""Writing in the admin: the post form, its checks, scheduling and actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.media import services as media
from afterword.posts.models import Page, Post, Tag
from afterword.posts.models import Post as _Post
from tests.factories import TagFactory
from tests.media.images import upload
from tests.support.changes import heard_changes

pytestmark = pytest.mark.django_db

ADD_URL = "admin:posts_post_add"


@pytest.fixture(autouse=True)
def no_other_inlines(settings):
    """Post the form without the inlines other apps add (their own tests cover them)."""
    settings.AFTERWORD_POST_ADMIN_INLINES = []


def form_data(writer, **overrides) -> dict:
    data = {
        "title": "Late Spring, revisited",
        "slug": "late-spring-revisited",
        "body": "## The wedding\n\nA quiet film about a loud decision.",
        "excerpt": "",
        "status": Post.Status.DRAFT,
        "published_at": "",
        "author": writer.pk,
        "comments_open": "on",
        "revision_note": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


def test_a_draft_saved_from_the_form_is_rendered_and_revisioned(desk, writer):
    response = desk.post(reverse(ADD_URL), form_data(writer, revision_note="First go"))

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.kind == Post.Kind.POST
    assert post.status == Post.Status.DRAFT
    assert '<h2 id="the-wedding">The wedding</h2>' in post.body_html
    revision = post.revisions.get()
    assert (revision.note, revision.author) == ("First go", writer)


def test_a_slug_clash_is_a_form_error_and_keeps_the_text(desk, writer, post_factory):
    post_factory(slug="late-spring-revisited", title="The first one")

    response = desk.post(
        reverse(ADD_URL), form_data(writer, body="Every word I typed stays here.")
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "Another post (“The first one”) already uses the address "
        "“late-spring-revisited”. Choose a different slug."
    ) in body
    assert "Every word I typed stays here." in body
    assert Post.objects.count() == 1


def test_publishing_with_an_image_without_alt_is_refused_and_the_text_kept(
    desk, writer
):
    markdown = "Intro.\n\n![](https://example.com/still.png)\nA caption I wrote"

    response = desk.post(
        reverse(ADD_URL), form_data(writer, body=markdown, status="published")
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Add alternative text before publishing" in body
    assert "The image https://example.com/still.png has no alt text." in body
    assert "A caption I wrote" in body
    assert Post.objects.count() == 0


def test_library_alt_text_counts_when_the_markdown_has_none(desk, writer):
    image = media.ingest_upload(upload("PNG", (900, 600)), alt_text="A tram at dusk")
    markdown = f"![]({image.file.url})\nThe last tram"

    response = desk.post(
        reverse(ADD_URL), form_data(writer, body=markdown, status="published")
    )

    assert response.status_code == 302
    post = Post.objects.get()
    assert 'alt="A tram at dusk"' in post.body_html
    assert 'width="900" height="600"' in post.body_html
    assert "-480w.webp 480w" in post.body_html
    assert "<figcaption>The last tram</figcaption>" in post.body_html


def test_a_featured_image_without_alt_blocks_publishing(desk, writer):
    image = media.ingest_upload(upload("JPEG", (640, 360)))

    response = desk.post(
        reverse(ADD_URL),
        form_data(writer, status="published", featured_image=image.pk),
    )

    assert response.status_code == 200
    assert "The featured image has no alt text." in response.content.decode()
    assert Post.objects.count() == 0


def test_scheduled_with_a_past_time_publishes(desk, writer):
    past = timezone.now() - timedelta(minutes=5)

    desk.post(
        reverse(ADD_URL),
        form_data(writer, status="scheduled", published_at=local_input(past)),
    )

    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED
    assert post.is_live()


def test_scheduled_in_the_future_says_when_it_goes_live(desk, writer):
    later = (timezone.now() + timedelta(hours=3)).replace(microsecond=0)

    response = desk.post(
        reverse(ADD_URL),
        form_data(writer, status="scheduled", published_at=local_input(later)),
        follow=True,
    )

    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED
    assert post.published_at == later
    assert not post.is_live()
    assert "Goes live on" in response.content.decode()
    change = desk.get(reverse("admin:posts_post_change", args=[post.pk]))
    assert "Goes live on" in change.content.decode()
    assert f'value="{local_input(later)}"' in change.content.decode()


def test_scheduled_without_a_time_is_a_form_error(desk, writer):
    response = desk.post(reverse(ADD_URL), form_data(writer, status="scheduled"))

    assert response.status_code == 200
    assert "A scheduled post needs a publish time." in response.content.decode()
    assert Post.objects.count() == 0


def test_tags_are_saved_before_listeners_hear_of_the_change(
    desk, writer, django_capture_on_commit_callbacks
):
    tag = TagFactory(name="Ozu", slug="ozu")
    with heard_changes() as heard, django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse(ADD_URL),
            form_data(writer, status="published", tags=[tag.pk]),
        )

    # One announcement for the whole save, once the tags are stored.
    assert len(heard) == 1
    (post,) = heard[0].instances(_Post)
    assert sorted(post.tags.values_list("slug", flat=True)) == ["ozu"]


def test_publish_and_unpublish_actions_go_through_the_service(
    desk, writer, post_factory
):
    draft = post_factory(status=Post.Status.DRAFT, published_at=None, author=writer)
    live = post_factory(author=writer)
    changelist = reverse("admin:posts_post_changelist")

    desk.post(changelist, {"action": "publish_now", "_selected_action": [draft.pk]})
    desk.post(changelist, {"action": "unpublish", "_selected_action": [live.pk]})

    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Post.Status.PUBLISHED
    assert draft.is_live()
    assert draft.revisions.first().note == "Published from the list"
    assert live.status == Post.Status.DRAFT
    assert live.revisions.first().note == "Moved back to drafts from the list"


def test_publish_action_reports_a_post_it_cannot_publish(desk, writer, post_factory):
    draft = post_factory(
        status=Post.Status.DRAFT,
        published_at=None,
        author=writer,
        body="![](https://example.com/a.png)",
    )

    response = desk.post(
        reverse("admin:posts_post_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
        follow=True,
    )

    assert "was not published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT


def test_the_changelist_lists_posts_not_pages(desk, writer, post_factory):
    post_factory(title="A film review", author=writer)
    post_factory(title="About this site", kind=Post.Kind.PAGE, author=writer)

    body = desk.get(reverse("admin:posts_post_changelist")).content.decode()

    assert "A film review" in body
    assert "About this site" not in body


def test_a_page_is_saved_as_a_page_and_may_not_take_a_site_address(desk, writer):
    add = reverse("admin:posts_page_add")

    refused = desk.post(add, form_data(writer, title="Search", slug="search"))
    accepted = desk.post(add, form_data(writer, title="About", slug="about"))

    assert "The address /search/ belongs to the site itself." in (
        refused.content.decode()
    )
    assert accepted.status_code == 302
    page = Page.objects.get()
    assert (page.kind, page.slug) == (Post.Kind.PAGE, "about")


def test_inlines_from_settings_appear_on_the_post_form(desk, writer, settings):
    settings.AFTERWORD_POST_ADMIN_INLINES = ["tests.editor.inlines.RevisionNotesInline"]

    body = desk.get(reverse(ADD_URL)).content.decode()

    assert 'name="revisions-TOTAL_FORMS"' in body


def test_the_form_carries_the_editor_without_inline_script(desk):
    body = desk.get(reverse(ADD_URL)).content.decode()

    assert 'class="afterword-editor"' in body
    assert f'data-preview-url="{reverse("admin:posts_post_preview")}"' in body
    assert f'data-upload-url="{reverse("admin:media_image_upload")}"' in body
    assert "posts/editor.js" in body
    assert 'type="datetime-local"' in body
    assert "<script>" not in body
    assert " onclick=" not in body
    assert Tag.objects.count() == 0
