"""A writer's whole path in a real Chromium: write, illustrate, preview, schedule.

The steps are helpers so that other checks of the same published post (its
entry in the Atom feed, in search results) can be added to the journey.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from afterword.posts.actions import save_post
from afterword.posts.models import Post
from tests import factories
from tests.factories import PostFactory
from tests.media.images import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
TITLE = "A night at the harbour"
ALT = "Fishing boats moored under orange lamps"
CAPTION = "The harbour after midnight"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

# A file dropped from the desktop, delivered as the browser would deliver it.
DROP_FILE = """(area, bytes) => {
    const file = new File([new Uint8Array(bytes)], "still.png", {type: "image/png"});
    const data = new DataTransfer();
    data.items.add(file);
    for (const type of ["dragover", "drop"]) {
        const options = {dataTransfer: data, bubbles: true, cancelable: true};
        area.dispatchEvent(new DragEvent(type, options));
    }
}"""


def watch_console(page: Page) -> list[str]:
    """Collect console errors, where the browser reports CSP refusals."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    return errors


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator(".desk-brand")).to_be_visible()


def insert_image_with_picker(page: Page, tmp_path, *, alt: str, caption: str) -> None:
    picture = tmp_path / "harbour.jpg"
    picture.write_bytes(image_bytes("JPEG", (1400, 900)))
    with page.expect_file_chooser() as chooser:
        page.click("text=Insert image…")
    chooser.value.set_files(str(picture))
    page.fill(".afterword-editor-alt", alt)
    page.fill(".afterword-editor-caption", caption)
    page.click("text=Upload and insert")
    expect(page.locator(".afterword-editor-dialog")).not_to_be_visible()


def append_to_body(page: Page, text: str) -> None:
    body = page.locator("#id_body")
    body.fill(body.input_value() + text)


def schedule(page: Page, seconds_ahead: int) -> timezone.datetime:
    """Pick "Scheduled" and a publish time a few seconds away, in site time."""
    when = (timezone.now() + timedelta(seconds=seconds_ahead)).replace(microsecond=0)
    page.select_option("#id_status", "scheduled")
    page.fill(
        "#id_published_at", timezone.localtime(when).strftime("%Y-%m-%dT%H:%M:%S")
    )
    return when


def wait_for(when) -> None:
    delay = (when - timezone.now()).total_seconds()
    if delay > 0:
        time.sleep(delay + 0.2)


def wait_until_live(when, run_tasks) -> Post:
    """Wait for the publish time, then let the task worker fire the schedule."""
    wait_for(when)
    run_tasks()
    return Post.objects.get(title=TITLE)


def see_on_home_page_with_figure(reader: Page, base_url: str) -> None:
    reader.goto(f"{base_url}/")
    entry = reader.locator("article.entry", has=reader.get_by_role("link", name=TITLE))
    expect(entry.locator(f'figure img[alt="{ALT}"]')).to_be_visible()
    expect(entry.locator("figure figcaption")).to_have_text(CAPTION)


def find_in_atom_feed(reader: Page, base_url: str) -> None:
    import feedparser

    response = reader.request.get(f"{base_url}{reverse('feeds:atom')}")
    assert response.ok
    feed = feedparser.parse(response.body())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.title == TITLE)
    assert entry.link.startswith("http")
    assert f"<figcaption>{CAPTION}</figcaption>" in entry.content[0].value


def find_in_search_results(reader: Page, base_url: str) -> None:
    reader.goto(f"{base_url}{reverse('search:results')}?q=harbour+midnight")
    result = reader.get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    expect(reader.locator("mark").first).to_be_visible()


def read_as_visitor(reader: Page, base_url: str, post: Post) -> None:
    """Open the home page as an anonymous reader and follow the post's link."""
    reader.goto(f"{base_url}/")
    link = reader.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    link.click()
    expect(reader).to_have_url(f"{base_url}{post.get_absolute_url()}")


def test_write_illustrate_preview_and_schedule_a_post(
    page, reader_page, live_server, writer, run_tasks, tmp_path
):
    errors = watch_console(page)
    log_in(page, live_server.url, writer.username)
    page.goto(f"{live_server.url}/admin/posts/post/add/")

    # Typed key by key: the admin fills the slug in as the title is typed.
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value("a-night-at-the-harbour")
    page.fill("#id_body", "## First impressions\n\nThe water was black and still.\n\n")
    page.locator("#id_body").press("Control+End")
    insert_image_with_picker(page, tmp_path, alt=ALT, caption=CAPTION)

    body = page.locator("#id_body").input_value()
    assert f"![{ALT}](/media/images/" in body
    assert f".jpg)\n{CAPTION}\n" in body
    append_to_body(page, f"{VIDEO}\n")

    preview = page.locator(".afterword-editor-rendered")
    expect(preview.locator("h2#first-impressions")).to_have_text("First impressions")
    expect(preview.locator("figure figcaption")).to_have_text(CAPTION)
    expect(preview.locator(f'figure img[alt="{ALT}"]')).to_have_attribute(
        "width", "1400"
    )
    expect(preview.locator('.video-embed[data-provider="youtube"]')).to_be_visible()

    when = schedule(page, seconds_ahead=2)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("Goes live on")
    assert Post.objects.get(title=TITLE).status == Post.Status.SCHEDULED

    # At its time the post is out on its own, before any worker or cron runs.
    wait_for(when)
    see_on_home_page_with_figure(reader_page, live_server.url)
    find_in_atom_feed(reader_page, live_server.url)
    find_in_search_results(reader_page, live_server.url)

    post = wait_until_live(when, run_tasks)
    assert post.status == Post.Status.PUBLISHED

    read_as_visitor(reader_page, live_server.url, post)
    figure = reader_page.locator("article figure").first
    expect(figure.locator(f'img[alt="{ALT}"]')).to_be_visible()
    expect(figure.locator("figcaption")).to_have_text(CAPTION)
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_dropping_an_image_on_the_text_inserts_a_figure(
    page, live_server, writer, tmp_path
):
    errors = watch_console(page)
    log_in(page, live_server.url, writer.username)
    page.goto(f"{live_server.url}/admin/posts/post/add/")
    page.fill("#id_body", "Before the picture.")
    png = list(image_bytes("PNG", (600, 400)))

    page.locator("#id_body").evaluate(DROP_FILE, png)
    page.fill(".afterword-editor-alt", "A blue rectangle")
    page.click("text=Upload and insert")

    expect(page.locator("#id_body")).to_have_value(
        re.compile(
            r"^Before the picture\.\n\n"
            r"!\[A blue rectangle\]\(/media/images/\S+\.png\)\n\n$"
        )
    )
    expect(page.locator(".afterword-editor-rendered figure img")).to_have_attribute(
        "alt", "A blue rectangle"
    )
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_a_refused_upload_shows_its_message_in_the_dialog(
    page, live_server, writer, tmp_path
):
    log_in(page, live_server.url, writer.username)
    page.goto(f"{live_server.url}/admin/posts/post/add/")
    fake = tmp_path / "notes.png"
    fake.write_text("not an image")

    with page.expect_file_chooser() as chooser:
        page.click("text=Insert image…")
    chooser.value.set_files(str(fake))
    expect(page.locator(".afterword-editor-dialog-error")).to_be_hidden()
    page.fill(".afterword-editor-alt", "Whatever")
    page.click("text=Upload and insert")

    expect(page.locator(".afterword-editor-dialog-error")).to_have_text(
        "This file is not a JPEG, PNG, WebP or GIF image."
    )
    assert page.locator("#id_body").input_value() == ""


def test_the_editor_admin_pages_break_no_content_security_rule(
    page, live_server, writer
):
    post = factories.save(PostFactory.build(author=writer, body="First version."))
    post.body = "Second version."
    save_post(post, user=writer)
    older, newer = post.revisions.order_by("created_at", "pk")
    errors = watch_console(page)
    log_in(page, live_server.url, writer.username)

    for path in [
        reverse("admin:posts_post_change", args=[post.pk]),
        reverse("admin:posts_post_revisions", args=[post.pk]),
        reverse("admin:posts_post_revisions_compare", args=[post.pk])
        + f"?a={older.pk}&b={newer.pk}",
        reverse("admin:posts_page_add"),
        reverse("admin:media_image_changelist"),
        reverse("admin:media_image_add"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()

    refused = [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    assert refused == []
    page.goto(
        f"{live_server.url}{reverse('admin:posts_post_revisions', args=[post.pk])}"
    )
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".afterword-diff-removed")).to_contain_text("First version.")
    expect(page.locator(".afterword-diff-added")).to_contain_text("Second version.")


def test_picking_a_library_image_inserts_its_figure(page, live_server, writer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from afterword.media.services import ingest_upload

    ingest_upload(
        SimpleUploadedFile("pier.png", image_bytes("PNG", (800, 500))),
        alt_text="A wooden pier",
        caption="Low tide",
    )
    log_in(page, live_server.url, writer.username)
    page.goto(f"{live_server.url}/admin/posts/post/add/")

    page.click("text=From the library…")
    page.get_by_role("listitem", name="A wooden pier").click()
    expect(page.locator(".afterword-editor-alt")).to_have_value("A wooden pier")
    page.fill(".afterword-editor-caption", "Low tide, late afternoon")
    page.get_by_role("button", name="Insert", exact=True).click()

    expect(page.locator("#id_body")).to_have_value(
        re.compile(
            r"^!\[A wooden pier\]\(/media/images/\S+\.png\)\n"
            r"Low tide, late afternoon\n\n$"
        )
    )
    expect(page.locator(".afterword-editor-rendered figcaption")).to_have_text(
        "Low tide, late afternoon"
    )
