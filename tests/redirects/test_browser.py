"""In Chromium: a writer renames a published post in the admin, and a reader
following the old address lands on the new one through a 301; the desk's
redirects screen works at 375 px in light and dark with no axe problem."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from afterword.accounts.actions import SetRole
from afterword.posts.actions import save_post
from afterword.redirects.models import Redirect
from tests import factories
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations, require_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _writer(role: str = "administrator"):
    user = factories.UserFactory(username=f"{role}-one")
    user.set_password(PASSWORD)
    user.save()
    SetRole(user, role).run()
    return user


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/posts/post/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


def test_a_slug_changed_in_the_admin_leaves_a_301_from_the_old_address(
    page, live_server
):
    writer = _writer("editor")
    post = save_post(
        factories.PostFactory.build(
            author=writer,
            title="Millennium Actress",
            slug="millennium-actress",
            published_at=datetime(2024, 5, 3, 12, tzinfo=UTC),
        )
    )
    _log_in(page, live_server.url, writer.username)
    page.goto(f"{live_server.url}/admin/posts/post/{post.pk}/change/")
    page.fill("#id_slug", "millennium-actress-2001")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    answer = page.request.get(
        f"{live_server.url}/2024/05/millennium-actress/", max_redirects=0
    )
    assert answer.status == 301
    assert answer.headers["location"] == "/2024/05/millennium-actress-2001/"
    reader = page.context.browser.new_page()
    try:
        reader.goto(f"{live_server.url}/2024/05/millennium-actress/")
        assert reader.url == f"{live_server.url}/2024/05/millennium-actress-2001/"
        expect(reader.locator("h1")).to_contain_text("Millennium Actress")
    finally:
        reader.close()


def test_the_redirects_screen_on_a_phone_in_light_and_dark(browser, live_server):
    require_axe()
    admin = _writer()
    context = browser.new_context(
        viewport={"width": 375, "height": 800},
        bypass_csp=True,  # to inject axe
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    found = []
    try:
        _log_in(page, live_server.url, admin.username)
        screen = f"{live_server.url}/desk/settings/redirects/"
        page.goto(screen)
        page.fill(
            "#id_old_path",
            "/2019/04/02/a-very-long-old-permalink-from-the-old-blog-that-goes-on/",
        )
        page.fill("#id_target_path", "https://evil.example/")
        page.click("text=Add redirect")
        expect(page.locator("#id_target_path")).to_have_value("https://evil.example/")
        expect(page.get_by_role("alert").first).to_contain_text("leads off this site")
        page.fill("#id_target_path", "/about/")
        page.click("text=Add redirect")
        expect(page.locator(".message-success")).to_contain_text("now leads to /about/")
        edit = f"{screen}?edit={Redirect.objects.get().pk}"
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for address in (screen, edit, f"{screen}?q=nothing"):
                assert page.goto(address).status == 200
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, (scheme, address, width)
                found += [
                    (scheme, address, v["id"], v["targets"])
                    for v in axe_violations(page)
                    if v["impact"] in BLOCKING_IMPACTS
                ]
        page.goto(screen)
        page.get_by_role("button", name="Delete the redirect from").click()
        expect(page.locator(".message-success")).to_contain_text("a 404 again")
    finally:
        context.close()
    assert found == []
