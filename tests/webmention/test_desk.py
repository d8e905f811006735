"""The writer moderates mentions in the desk, as comments: held ones are
listed with Approve, Spam and Trash buttons (plain forms with CSRF)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from afterword.accounts.actions import SetRole
from afterword.webmention.models import Webmention
from tests import factories
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

from .conftest import post_url, serve

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
pytestmark = pytest.mark.django_db(transaction=True)


def person(username: str, role: str):
    account = factories.UserFactory(username=username)
    SetRole(account, role).run()
    return account


@pytest.fixture
def held(client, public_post, other_site, run_tasks) -> Webmention:
    """A reply from a loopback site, received and verified: held."""
    target = post_url(public_post)
    source = serve(
        other_site,
        "/reply",
        f'<div class="h-entry"><a class="u-in-reply-to" href="{target}">re</a>'
        '<span class="p-author h-card">Hari</span>'
        '<p class="e-content">Stay on the station.</p></div>',
    )
    assert (
        client.post("/webmention", {"source": source, "target": target}).status_code
        == 202
    )
    run_tasks()
    mention = Webmention.objects.get()
    assert mention.status == Webmention.Status.PENDING
    return mention


def blocking_findings(page) -> dict:
    """Serious or critical axe-core findings, in light and in dark."""
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            found[scheme] = blocking
    page.emulate_media(color_scheme="light")
    return found


def csrf_client(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def press(browser: Client, mention: Webmention, action: str, tab: str = "pending"):
    screen = browser.get(f"/desk/comments/mentions/?status={tab}")
    assert screen.status_code == 200
    html = screen.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert f'action="/desk/comments/mentions/{mention.pk}/"' in html
    assert f'value="{action}"' in html
    return browser.post(
        f"/desk/comments/mentions/{mention.pk}/",
        {
            "csrfmiddlewaretoken": token,
            "action": action,
            "next": f"/desk/comments/mentions/?status={tab}",
        },
        follow=True,
    )


def test_an_editor_approves_a_held_mention_and_it_shows_on_the_post(held, public_post):
    editor = csrf_client(person("edna", "editor"))
    comments = editor.get("/desk/comments/").content.decode()
    assert 'href="/desk/comments/mentions/"' in comments
    listing = editor.get("/desk/comments/mentions/").content.decode()
    assert "Hari" in listing and "Stay on the station." in listing
    answer = press(editor, held, "approve")
    assert "Mention approved" in answer.content.decode()
    held.refresh_from_db()
    assert held.status == Webmention.Status.APPROVED
    page = Client().get(public_post.get_absolute_url()).content.decode()
    assert "Stay on the station." in page


def test_spam_then_trash_then_delete(held):
    editor = csrf_client(person("edna", "editor"))
    press(editor, held, "spam")
    held.refresh_from_db()
    assert held.status == Webmention.Status.SPAM
    press(editor, held, "trash", tab="spam")
    held.refresh_from_db()
    assert held.status == Webmention.Status.TRASH
    answer = press(editor, held, "delete", tab="trash")
    assert "deleted for good" in answer.content.decode()
    assert not Webmention.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(held):
    editor = csrf_client(person("edna", "editor"))
    answer = editor.post(f"/desk/comments/mentions/{held.pk}/", {"action": "approve"})
    assert answer.status_code == 403
    held.refresh_from_db()
    assert held.status == Webmention.Status.PENDING


def test_an_author_cannot_moderate_mentions(held):
    author = Client()
    author.force_login(person("arthur", "author"))
    assert author.get("/desk/comments/mentions/").status_code == 403
    assert (
        author.post(
            f"/desk/comments/mentions/{held.pk}/", {"action": "approve"}
        ).status_code
        == 403
    )
    held.refresh_from_db()
    assert held.status == Webmention.Status.PENDING


@pytest.mark.browser
def test_approving_in_chromium(held, public_post, live_server, browser, settings):
    settings.SITE_URL = live_server.url
    editor = person("edna", "editor")
    # bypass_csp: axe-core is injected; the site's policy rightly refuses it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/desk/comments/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(re.compile(r"/desk/comments/$"))
        page.get_by_role("link", name="Mentions from other sites").click()
        row = page.locator(f"#mention-{held.pk}")
        expect(row).to_contain_text("Stay on the station.")
        assert blocking_findings(page) == {}
        page.set_viewport_size({"width": 375, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.set_viewport_size({"width": 1280, "height": 900})
        row.get_by_role("button", name="Approve the mention from Hari").click()
        expect(
            page.get_by_text("Mention approved: it shows under the post.")
        ).to_be_visible()
        expect(page.locator(f"#mention-{held.pk}")).to_have_count(0)
        page.goto(f"{live_server.url}{public_post.get_absolute_url()}")
        expect(page.locator("#mentions")).to_contain_text("Stay on the station.")
        expect(page.locator("#mentions")).to_contain_text("Hari")
        assert blocking_findings(page) == {}
    finally:
        context.close()
