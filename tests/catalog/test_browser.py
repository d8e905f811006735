"""The writer's catalog journey in a real Chromium (must-show 2).

In the post editor: link the post to a work through autocomplete, create a
missing person in place through the admin's popup, rate the work and refer
to the new person inline. After publishing, the work page, the person page
and the person's feed list the post, and the reference's preview card opens
on keyboard focus.
"""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from afterword.catalog.models import Person, PostWork
from afterword.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
TITLE = "Perfect Blue and the art of the edit"
NEW_PERSON = "Junji Nishimura"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator(".desk-brand")).to_be_visible()


def choose_with_autocomplete(page: Page, select_id: str, typed: str, option: str):
    """Open a select2 autocomplete, type, and pick the suggestion."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).click()


def test_link_a_post_to_the_catalog_from_the_editor(
    page, browser, live_server, writer, catalog, settings
):
    # Readers get cached pages, as in production: publishing must refresh them.
    settings.AFTERWORD_PAGE_CACHE = True
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.on("console", lambda m: m.type == "error" and errors.append(m.text))
    # A reader sees the work page before the post exists (and it gets cached).
    reader.goto(f"{live_server.url}/catalog/works/perfect-blue-1997/")
    expect(reader.locator(".catalog-posts")).to_contain_text("No posts about it yet.")

    log_in(page, live_server.url, writer.username)
    page.goto(f"{live_server.url}/admin/posts/post/add/")
    page.locator("#id_title").press_sequentially(TITLE)

    choose_with_autocomplete(page, "id_catalog_works-0-work", "perfect", "Perfect Blue")
    page.check("#id_catalog_works-0-is_primary")
    page.fill("#id_catalog_works-0-rating", "4.5")

    # The person is missing from the catalog: create them in the popup.
    with page.expect_popup() as popup_info:
        page.click("#add_id_catalog_mentions-0-person")
    popup = popup_info.value
    popup.locator("#id_name").press_sequentially(NEW_PERSON)
    expect(popup.locator("#id_slug")).to_have_value("junji-nishimura")
    popup.click("input[name=_save]")
    popup.wait_for_event("close")
    expect(page.locator("#id_catalog_mentions-0-person option:checked")).to_have_text(
        NEW_PERSON
    )

    page.fill(
        "#id_body",
        "Kon's first feature is a study in editing. [[Perfect Blue (1997)]] "
        f"owes a debt to [[{NEW_PERSON}]], whose name deserves to be known.\n",
    )
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()

    post = Post.objects.get(title=TITLE)
    assert post.is_live()
    link = PostWork.objects.get(post=post)
    assert (link.work.slug, str(link.rating), link.is_primary) == (
        "perfect-blue-1997",
        "4.5",
        True,
    )
    person = Person.objects.get(slug="junji-nishimura")

    reader.goto(f"{live_server.url}/catalog/works/perfect-blue-1997/")
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()
    expect(reader.locator(".catalog-post", has_text=TITLE)).to_contain_text(
        "4.5 out of 5"
    )
    reader.goto(f"{live_server.url}{person.get_absolute_url()}")
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()

    feed = reader.request.get(
        live_server.url + reverse("catalog:person-atom", args=[person.slug])
    )
    assert [e.title for e in feedparser.parse(feed.body()).entries] == [TITLE]

    reader.goto(f"{live_server.url}{post.get_absolute_url()}")
    reference = reader.locator("a.ref-person", has_text=NEW_PERSON)
    reference.focus()
    card = reader.get_by_role("tooltip")
    expect(card).to_be_visible()
    expect(card).to_contain_text(NEW_PERSON)
    expect(reference).to_have_attribute("aria-describedby", "ref-card")
    reader.keyboard.press("Escape")
    expect(card).to_be_hidden()
    work_ref = reader.locator("a.ref-work", has_text="Perfect Blue")
    work_ref.hover()
    expect(card).to_contain_text("1997 · Anime film")
    assert [e for e in errors if "Content Security Policy" in e] == []
    reader_context.close()
