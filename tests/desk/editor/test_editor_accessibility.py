"""The editor at 375 px, in light and dark, by keyboard alone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from afterword.catalog.models import PostWork, Work
from afterword.posts.models import Post
from tests import factories
from tests.desk.editor.test_editor_browser import log_in
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def blocking(page: Page) -> list[dict]:
    return [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def set_theme(page: Page, theme: str) -> None:
    page.evaluate(f"document.documentElement.setAttribute('data-theme', '{theme}')")


def test_list_and_editor_fit_a_phone_and_pass_axe(
    phone, live_server, make_writer, record_property
):
    editor = make_writer("editor")
    post = factories.save(
        factories.PostFactory.build(
            author=editor,
            title="A title long enough to wrap on a narrow phone screen, surely",
            body="## Heading\n\n" + "word " * 400,
        )
    )
    work = Work.objects.create(title="Stalker", slug="stalker", year=1979)
    PostWork.objects.create(post=post, work=work, rating=4)
    post.tags.add(factories.TagFactory(name="A tag"))
    log_in(phone, live_server.url, editor.username)
    widths = {}
    for theme in ("light", "dark"):
        phone.goto(f"{live_server.url}{reverse('desk:posts')}")
        set_theme(phone, theme)
        widths[f"list {theme}"] = scroll_width(phone)
        assert blocking(phone) == [], theme

        phone.goto(f"{live_server.url}{reverse('desk:edit_post', args=[post.pk])}")
        set_theme(phone, theme)
        phone.get_by_role("button", name="Settings").click()
        expect(phone.locator(".picker-work")).to_be_visible()
        widths[f"editor+panel {theme}"] = scroll_width(phone)
        assert blocking(phone) == [], theme
        phone.get_by_role("button", name="Preview").click()
        expect(phone.locator("#editor-preview-body h2")).to_have_text("Heading")
        widths[f"preview {theme}"] = scroll_width(phone)
        assert blocking(phone) == [], theme
        phone.get_by_role("button", name="Shortcuts").click()
        expect(phone.locator("#editor-help")).to_be_visible()
        assert blocking(phone) == [], theme
        phone.keyboard.press("Escape")
    record_property("figure", f"editor scroll widths at 375 px: {widths}")
    assert max(widths.values()) <= 375, widths
    expect(phone.locator("#editor-count")).to_contain_text("401 words · 2 min read")


def test_keyboard_alone_links_a_work_and_saves(page, live_server, make_writer):
    author = make_writer("author")
    Work.objects.create(title="Solaris", slug="solaris", year=1972)
    post = factories.save(
        factories.PostFactory.build(author=author, status="draft", title="Keys")
    )
    log_in(page, live_server.url, author.username)
    page.goto(f"{live_server.url}{reverse('desk:edit_post', args=[post.pk])}")
    page.locator("[name=title]").focus()

    page.keyboard.press("Control+.")
    expect(page.locator("#editor-panel")).to_be_visible()
    page.locator("#pick-works").focus()
    page.keyboard.type("sola")
    expect(page.get_by_role("option", name="Solaris (1972)")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(".picker-work [data-label]").first).to_have_text(
        "Solaris (1972)"
    )
    # The new row's rating field takes the focus.
    page.keyboard.type("3.5")

    page.locator("[name=body]").focus()
    page.keyboard.press("Control+Shift+F")
    expect(page.locator(".desk-nav")).to_be_hidden()
    expect(page.locator("#editor-panel")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.locator(".desk-nav")).to_be_visible()

    page.locator("[data-toggle-focus]").focus()
    page.keyboard.press("?")
    expect(page.locator("#editor-help")).to_be_visible()
    expect(page.locator("#editor-help")).to_contain_text("Ctrl")
    page.keyboard.press("Escape")
    expect(page.locator("#editor-help")).to_be_hidden()

    page.keyboard.press("Control+Shift+P")
    expect(page.locator("#editor-preview")).to_be_visible()
    page.keyboard.press("Control+s")
    expect(page.locator(".messages")).to_contain_text("Saved")
    link = PostWork.objects.get(post=post)
    assert (link.work.slug, str(link.rating)) == ("solaris", "3.5")
    assert Post.objects.get(pk=post.pk).status == "draft"


def test_conflict_and_restore_fit_a_phone_and_pass_axe(phone, live_server, make_writer):
    editor = make_writer("editor")
    other = make_writer("editor", "other")
    post = factories.save(
        factories.PostFactory.build(
            author=editor, status="draft", body="One line.\nAnother line."
        )
    )
    log_in(phone, live_server.url, editor.username)
    phone.goto(f"{live_server.url}{reverse('desk:edit_post', args=[post.pk])}")
    post.body = "One line, changed by someone else.\nAnother line."
    factories.save(post, user=other)
    phone.locator("[name=body]").fill("One line.\nAnother line, mine.")
    phone.get_by_role("button", name="Save draft").click()
    expect(phone.locator("#editor-conflict")).to_be_visible()
    for theme in ("light", "dark"):
        set_theme(phone, theme)
        assert scroll_width(phone) <= 375, theme
        assert blocking(phone) == [], theme
    phone.get_by_role("link", name="Keep theirs").click()
    expect(phone.locator("#editor-restore")).to_be_visible()
    for theme in ("light", "dark"):
        set_theme(phone, theme)
        assert scroll_width(phone) <= 375, theme
        assert blocking(phone) == [], theme
