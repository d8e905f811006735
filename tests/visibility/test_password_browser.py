"""A reader unlocks a password-protected post in Chromium, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations, require_axe

from .conftest import PASSWORD, SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_gives_a_wrong_then_the_right_password(browser, live_server, make):
    require_axe()
    post = make("password")
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + post.get_absolute_url())
        expect(page.get_by_role("heading", name="The password harbour")).to_be_visible()
        expect(page.get_by_text(SECRET)).to_have_count(0)
        found = []
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            found += [
                (scheme, v["id"], v["targets"])
                for v in axe_violations(page)
                if v["impact"] in BLOCKING_IMPACTS
            ]
        assert found == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        page.get_by_label("Password").fill("not it")
        page.get_by_role("button", name="Enter").click()
        expect(page.get_by_role("alert")).to_have_text(
            "That password is not right. Try again."
        )
        expect(page.get_by_text(SECRET)).to_have_count(0)

        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Enter").click()
        expect(page.get_by_text(SECRET)).to_be_visible()
        assert page.url == live_server.url + post.get_absolute_url()
        # Still open on the next visit, from the cookie.
        page.reload()
        expect(page.get_by_text(SECRET)).to_be_visible()
    finally:
        context.close()
