"""axe-core in Chromium finds no serious or critical problem on the key pages.

Each page is checked in the light and the dark colour scheme, since contrast
is computed from the colours actually shown.
"""

from __future__ import annotations

import contextlib

import pytest
from django.urls import NoReverseMatch, reverse

from afterword.posts.models import Post
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def key_pages() -> list[str]:
    post = Post.objects.posts().live().order_by("-published_at").first()
    pages = ["/", post.get_absolute_url()]
    with contextlib.suppress(NoReverseMatch):
        pages.append(reverse("search:results") + "?q=film")
    return pages


def test_key_pages_have_no_serious_accessibility_violations(
    live_server, demo_site, browser
):
    # Injecting axe needs CSP out of the way; only this test's context does it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    found = []
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for path in key_pages():
                page.goto(live_server.url + path)
                for violation in axe_violations(page):
                    print(scheme, path, violation)
                    if violation["impact"] in BLOCKING_IMPACTS:
                        found.append(
                            (scheme, path, violation["id"], violation["targets"])
                        )
    finally:
        context.close()
    assert found == []


def test_keyboard_and_no_javascript_reading(live_server, demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("el => el === document.activeElement")
        # The focused skip link is on screen, not parked off the top.
        assert skip.bounding_box()["y"] >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        assert page.evaluate("document.activeElement.id") == "main"

        # With JavaScript off, a post still reads in full.
        post = Post.objects.posts().live().order_by("-published_at").first()
        page.goto(live_server.url + post.get_absolute_url())
        assert page.locator("h1").inner_text() == post.title
        assert page.locator(".post-body p").first.is_visible()
    finally:
        context.close()
