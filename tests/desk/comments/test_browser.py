"""The comments screen in Chromium: in place, by keyboard, at phone width,
and readable by axe-core in light and dark."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from afterword.discussion.models import Comment
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

from .conftest import PASSWORD, comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Comment.Status


@pytest.fixture
def screen(live_server, browser, editor):
    """The editor's browser, signed in through the login form, on the screen."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/?next=/desk/comments/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/desk/comments/$"))
    page.script_errors = errors
    yield page
    context.close()


def open_list(page: Page, live_server, query: str = "") -> None:
    page.goto(f"{live_server.url}/desk/comments/{query}")
    # The script reveals its shortcuts button once it has run.
    expect(page.locator("[data-shortcuts-open]")).to_be_visible()


def mark_loaded(page: Page) -> None:
    """A flag a reload would wipe: proof that the page did not reload."""
    page.evaluate("window.stillHere = true")


def test_a_held_comment_is_approved_in_place(screen, live_server, post):
    held = comment(post, name="Held Reader", body="Waiting for the writer.")
    other = comment(post, name="Other Reader", body="Also waiting.")
    open_list(screen, live_server)
    mark_loaded(screen)
    row = screen.locator(f"#comment-row-{held.pk}")
    row.get_by_role("button", name="Approve").click()
    expect(row).to_have_count(0)
    expect(screen.locator("[data-comments-status]")).to_have_text("1 comment approved.")
    expect(screen.locator('[data-count="pending"]')).to_have_text("1")
    expect(screen.locator('[data-count="approved"]')).to_have_text("1")
    expect(screen.locator(f"#comment-row-{other.pk}")).to_be_visible()
    assert screen.evaluate("window.stillHere") is True
    held.refresh_from_db()
    assert held.status == Status.APPROVED
    assert not screen.script_errors


def test_a_reply_written_inline_appears_on_the_public_post(
    screen, live_server, browser, post, editor
):
    held = comment(post, name="Curious", body="Will you review the sequel?")
    open_list(screen, live_server)
    mark_loaded(screen)
    row = screen.locator(f"#comment-row-{held.pk}")
    row.get_by_text("Reply", exact=True).click()
    row.get_by_label("Your reply to Curious").fill("Next *month*, promised.")
    row.get_by_role("button", name="Publish reply").click()
    status = screen.locator("[data-comments-status]")
    expect(status).to_have_text("Your reply is published. See it on the post")
    expect(row).to_have_count(0)  # replying approved it: out of Pending
    assert screen.evaluate("window.stillHere") is True

    written = Comment.objects.get(parent=held)
    link = status.get_by_role("link", name="See it on the post")
    assert link.get_attribute("href") == written.get_absolute_url()
    reader = browser.new_context().new_page()
    reader.goto(live_server.url + post.get_absolute_url())
    answer = reader.locator(f"#comment-{written.pk}")
    expect(answer).to_contain_text("Next month, promised.")
    expect(answer.locator("em")).to_have_text("month")
    expect(reader.locator(f"#comment-{held.pk}")).to_contain_text("the sequel")
    reader.context.close()


def test_keyboard_j_selects_and_a_approves(screen, live_server, post):
    older = comment(post, name="Older", body="First in, listed second.")
    newer = comment(post, name="Newer", body="Last in, listed first.")
    open_list(screen, live_server)
    screen.keyboard.press("j")
    expect(screen.locator(f"#comment-row-{newer.pk}")).to_have_class(
        re.compile("is-selected")
    )
    screen.keyboard.press("j")
    expect(screen.locator(f"#comment-row-{older.pk}")).to_have_class(
        re.compile("is-selected")
    )
    screen.keyboard.press("a")
    expect(screen.locator(f"#comment-row-{older.pk}")).to_have_count(0)
    # The next row up takes the selection, so "a" again goes on down the queue.
    expect(screen.locator(f"#comment-row-{newer.pk}")).to_have_class(
        re.compile("is-selected")
    )
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, newer.status) == (Status.APPROVED, Status.PENDING)


def test_letters_typed_in_a_field_are_not_shortcuts(screen, live_server, post):
    held = comment(post, name="Typist", body="Reply to me.")
    open_list(screen, live_server)
    screen.keyboard.press("j")
    screen.keyboard.press("r")
    box = screen.get_by_label("Your reply to Typist")
    expect(box).to_be_focused()
    screen.keyboard.type("a stash of thoughts")
    expect(box).to_have_value("a stash of thoughts")
    held.refresh_from_db()
    assert held.status == Status.PENDING
    screen.locator("body").click(position={"x": 5, "y": 5})
    screen.keyboard.press("?")
    expect(screen.locator("dialog[data-shortcuts]")).to_be_visible()
    screen.keyboard.press("Escape")
    expect(screen.locator("dialog[data-shortcuts]")).to_be_hidden()


def test_apply_to_selected_in_place(screen, live_server, post):
    chosen = [comment(post, body=f"Spammy {n}") for n in range(2)]
    kept = comment(post, body="A fair point.")
    open_list(screen, live_server)
    for target in chosen:
        screen.locator(f"#select-{target.pk}").check()
    screen.select_option("#bulk-action", "spam")
    screen.get_by_role("button", name="Apply to selected").click()
    expect(screen.locator("[data-comments-status]")).to_have_text(
        "2 comments marked as spam."
    )
    for target in chosen:
        expect(screen.locator(f"#comment-row-{target.pk}")).to_have_count(0)
    expect(screen.locator(f"#comment-row-{kept.pk}")).to_be_visible()
    expect(screen.locator('[data-count="spam"]')).to_have_text("2")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_screen_fits_a_phone_and_passes_axe(
    screen, live_server, post, editor, theme, width
):
    comment(
        post,
        name="A Reader With A Long Name",
        email="long@example.test",
        url="https://a-very-long-domain-name-for-testing.example.test/path",
        body="Held, with a [link](https://example.test/) " + "word " * 60,
    )
    comment(post, status=Status.APPROVED, body="Approved.")
    screen.set_viewport_size({"width": width, "height": 800})
    screen.goto(f"{live_server.url}/desk/comments/")
    screen.evaluate("theme => { localStorage.setItem('desk-theme', theme); }", theme)
    screen.reload()
    assert screen.evaluate("document.documentElement.dataset.theme") == theme
    screen.locator("details.comment-reply summary").first.click()
    screen.locator("details.comment-block summary").first.click()
    overflow = screen.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    blocking = [v for v in axe_violations(screen) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == []
    screen.goto(f"{live_server.url}/desk/comments/blocks/")
    overflow = screen.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    blocking = [v for v in axe_violations(screen) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == []
