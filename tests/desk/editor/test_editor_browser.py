"""The desk's editor in a real Chromium: write, illustrate, link works,
publish; survive a closed tab; two editors on one post; schedule.

Only one page talks to the live server at a time (its shared in-memory
database is not safe for parallel requests): each step waits for the
editor's answer before the next begins.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from afterword.catalog.models import PostWork, Work
from afterword.desk.models import Autosave
from afterword.posts.models import Post
from tests import factories
from tests.media.images import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
ALT = "A wooden room with a single lamp"
CAPTION = "The room at the heart of the zone"


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    return errors


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/desk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator(".desk-brand")).to_be_visible()


def open_panel(page: Page) -> None:
    page.get_by_role("button", name="Settings").click()
    expect(page.locator("#editor-panel")).to_be_visible()


def link_work(page: Page, typed: str, option: str, label: str, rating: str) -> None:
    search = page.locator("#pick-works")
    search.fill(typed)
    page.get_by_role("option", name=option).click()
    row = page.locator(".picker-work").last
    expect(row.locator("[data-label]").first).to_have_text(label)
    row.get_by_label("Rating").fill(rating)


def settle(page: Page) -> None:
    """Wait for the editor's autosave of restored text, so that closing the
    page sends no last request to a server whose test is over."""
    expect(page.locator("#editor-autosave")).to_contain_text(
        "Autosaved", timeout=12_000
    )


def wait_for_row(check, seconds: float = 8.0):
    """Poll the database for what the browser just sent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return check()


def test_writer_writes_illustrates_links_works_and_publishes(
    page, live_server, make_writer, tmp_path
):
    author = make_writer("author")
    Work.objects.create(title="Stalker", slug="stalker", year=1979)
    errors = watch_console(page)
    log_in(page, live_server.url, author.username)
    page.goto(f"{live_server.url}{reverse('desk:posts')}")
    page.get_by_role("link", name="New post").click()

    page.get_by_placeholder("Title").fill("Inside the zone")
    body = page.locator("textarea[name=body]")
    body.fill("## The room\n\nWe walked for hours.\n\n")
    body.press("Control+End")
    picture = tmp_path / "room.jpg"
    picture.write_bytes(image_bytes("JPEG", (1200, 800)))
    page.get_by_role("button", name="Insert image…").click()
    page.get_by_label("Image file").set_input_files(str(picture))
    page.get_by_label("Alt text").fill(ALT)
    page.get_by_label("Caption").fill(CAPTION)
    page.get_by_role("button", name="Upload and insert").click()
    expect(page.locator("#editor-image")).not_to_be_visible()
    text = body.input_value()
    assert f"![{ALT}](/media/images/" in text and f"\n{CAPTION}\n" in text
    expect(page.locator("#editor-count")).to_contain_text("words")

    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#editor-preview figure figcaption")).to_have_text(CAPTION)
    page.get_by_role("button", name="Preview").click()

    open_panel(page)
    link_work(page, "stalk", "Stalker (1979)", "Stalker (1979)", "4.5")
    link_work(page, "Mirror", "Create “Mirror”", "Mirror", "4")
    page.locator(".picker-work").first.get_by_label("Primary").check()
    page.locator("#editor-bar, .editor-bar").get_by_role(
        "button", name="Publish"
    ).click()
    expect(page.locator(".messages")).to_contain_text("Published")

    post = Post.objects.get(title="Inside the zone")
    assert post.is_live()
    links = {
        link.work.title: link
        for link in PostWork.objects.filter(post=post).select_related("work")
    }
    assert set(links) == {"Stalker", "Mirror"}
    assert str(links["Stalker"].rating) == "4.5" and links["Stalker"].is_primary
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    expect(page.locator("h2", has_text="The room")).to_be_visible()
    expect(page.locator("figure figcaption")).to_have_text(CAPTION)
    expect(page.locator(f'figure img[alt="{ALT}"]')).to_be_visible()
    expect(page.get_by_role("link", name="Stalker (1979)")).to_be_visible()
    expect(page.get_by_role("link", name="Mirror")).to_be_visible()
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_text_typed_before_the_tab_closed_is_restored(
    browser, live_server, make_writer
):
    author = make_writer("author")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, author.username)
    page.goto(f"{live_server.url}{reverse('desk:new_post')}")
    page.get_by_placeholder("Title").fill("A closed tab")
    body = page.locator("textarea[name=body]")
    body.fill("The first autosave makes the post a draft.")
    # Every few seconds the editor saves the text; the first one gives the
    # new post its address.
    expect(page.locator("#editor-autosave")).to_contain_text(
        "Autosaved", timeout=12_000
    )
    post = Post.objects.get(title="A closed tab")
    expect(page).to_have_url(
        f"{live_server.url}{reverse('desk:edit_post', args=[post.pk])}"
    )

    body.press("Control+End")
    body.press_sequentially(" Then, mid-sent")
    page.close(run_before_unload=True)
    typed = "The first autosave makes the post a draft. Then, mid-sent"
    assert wait_for_row(
        lambda: Autosave.objects.filter(post=post, body=typed).exists()
    ), "the page's last words never reached the server"
    post.refresh_from_db()
    assert post.body == "The first autosave makes the post a draft."

    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('desk:edit_post', args=[post.pk])}")
    page.get_by_role("button", name="Restore unsaved text from").click()
    expect(page.locator("textarea[name=body]")).to_have_value(typed)
    settle(page)
    context.close()


def test_two_editors_on_one_post_lose_nothing(browser, live_server, make_writer):
    first = make_writer("editor", "ana")
    second = make_writer("editor", "ben")
    post = factories.save(
        factories.PostFactory.build(
            author=first, status="draft", title="Shared", body="The start."
        )
    )
    url = f"{live_server.url}{reverse('desk:edit_post', args=[post.pk])}"
    pages = []
    for who in (first, second):
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server.url, who.username)
        page.goto(url)
        pages.append(page)
    ana, ben = pages

    ana.locator("textarea[name=body]").fill("Ana's version.")
    ana.locator("textarea[name=body]").press("Control+s")
    expect(ana.locator(".messages")).to_contain_text("Saved")

    ben.locator("textarea[name=body]").fill("Ben's version.")
    # The next autosave already tells Ben, before he presses Save.
    expect(ben.locator("#editor-live-conflict")).to_contain_text(
        "Ana saved this post", timeout=12_000
    )
    ben.get_by_role("button", name="Save draft").click()
    conflict = ben.locator("#editor-conflict")
    expect(conflict).to_contain_text("Ana saved this post")
    expect(ben.locator("#conflict-theirs")).to_have_text("Ana's version.")
    expect(ben.locator("#conflict-mine")).to_have_text("Ben's version.")
    post.refresh_from_db()
    assert post.body == "Ana's version."
    assert Autosave.objects.get(post=post, user=second).body == "Ben's version."

    # Keeping theirs leaves Ben's text one click away.
    ben.get_by_role("link", name="Keep theirs").click()
    expect(ben.locator("textarea[name=body]")).to_have_value("Ana's version.")
    ben.get_by_role("button", name="Restore unsaved text from").click()
    expect(ben.locator("textarea[name=body]")).to_have_value("Ben's version.")
    settle(ben)
    for page in pages:
        page.context.close()


def test_scheduling_a_post_for_later(page, live_server, make_writer):
    author = make_writer("author")
    log_in(page, live_server.url, author.username)
    page.goto(f"{live_server.url}{reverse('desk:new_post')}")
    page.get_by_placeholder("Title").fill("Later")
    page.locator("textarea[name=body]").fill("Out tomorrow.")
    open_panel(page)
    when = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Publish time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messages")).to_contain_text("Scheduled")
    post = Post.objects.get(title="Later")
    assert post.status == Post.Status.SCHEDULED
    assert not post.is_live()
    expect(page.locator("#editor-status")).to_have_text("Scheduled")


def test_a_new_address_after_publishing_leaves_a_permanent_redirect(
    page, live_server, make_writer
):
    """Must-show 1's last flow, through the desk's editor: the old address
    of a published post answers 301 to the new one."""
    import urllib.error
    import urllib.request

    author = make_writer("author")
    post = factories.save(
        factories.PostFactory.build(
            author=author, title="Cannon Fodder", slug="cannon-fodder"
        )
    )
    old_address = post.get_absolute_url()
    log_in(page, live_server.url, author.username)
    page.goto(f"{live_server.url}{reverse('desk:edit_post', args=[post.pk])}")
    open_panel(page)
    page.get_by_label("Address (slug)").fill("cannon-fodder-third-segment")
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".messages")).to_be_visible()
    post.refresh_from_db()
    assert post.slug == "cannon-fodder-third-segment"

    class NoFollow(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoFollow)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{live_server.url}{old_address}", timeout=10)
    assert answer.value.code == 301
    assert answer.value.headers["Location"].endswith(post.get_absolute_url())
