"""axe-core finds no serious or critical problem on series and follow pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.subscriptions import tokens
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_series_and_follow_pages_have_no_serious_violations(
    live_server,
    browser,
    memories,
    follower,
):
    series, one, _two = memories
    subscriber = follower("reader@example.test", "site")
    paths = [
        one.get_absolute_url(),
        series.get_absolute_url(),
        reverse("series:index"),
        reverse("subscriptions:manage", args=[tokens.manage_token(subscriber)]),
        reverse("subscriptions:unsubscribe", args=[tokens.manage_token(subscriber)]),
    ]
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    found = []
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for path in paths:
                page.goto(live_server.url + path)
                for violation in axe_violations(page):
                    if violation["impact"] in BLOCKING_IMPACTS:
                        found.append(
                            (scheme, path, violation["id"], violation["targets"])
                        )
    finally:
        context.close()
    assert found == []
