"""The figures screens in Chromium: readable at 375 px, no serious axe issue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.stats.models import DailyFeedFetches, DailyPageViews, DailyReferrer
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def counted(post_factory, writer):
    today = timezone.localdate()
    post = post_factory(
        title="A Very Long Title About Lighthouses, Fog Horns and Keepers",
        slug="lighthouses",
        author=writer,
    )
    for days_ago, views in [(0, 12), (1, 30), (3, 5)]:
        DailyPageViews.objects.create(
            day=today - timedelta(days=days_ago), post=post, views=views
        )
    DailyPageViews.objects.create(day=today, path="/tag/lighthouses/", views=4)
    DailyReferrer.objects.create(
        day=today, post=post, domain="a-rather-long-subdomain.news.example.org", views=3
    )
    DailyFeedFetches.objects.create(day=today, feed="feeds:atom", fetches=8)
    return post


def test_figures_screens_fit_a_phone_and_pass_axe(
    live_server, browser, writer, counted
):
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 375, "height": 800}
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    found, wide = [], []
    try:
        tab.goto(live_server.url + "/admin/login/?next=/desk/stats/")
        tab.fill("#id_username", writer.username)
        tab.fill("#id_password", PASSWORD)
        tab.click("input[type=submit]")
        tab.wait_for_url("**/desk/stats/")
        paths = [
            reverse("desk:stats"),
            reverse("desk:stats") + "?days=90",
            reverse("desk:post_stats", args=[counted.pk]),
        ]
        for scheme in ("light", "dark"):
            tab.emulate_media(color_scheme=scheme)
            for path in paths:
                tab.goto(live_server.url + path)
                assert tab.locator("h1").count() == 1
                overflow = tab.evaluate(
                    "document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    wide.append((scheme, path, overflow))
                for violation in axe_violations(tab):
                    if violation["impact"] in BLOCKING_IMPACTS:
                        found.append(
                            (scheme, path, violation["id"], violation["targets"])
                        )
        tab.goto(live_server.url + reverse("desk:stats"))
        row = tab.locator("table.stats-chart tbody tr").last
        assert row.locator("td.num").inner_text() == "16"
        bar = row.locator(".stats-bar").bounding_box()
        busiest = tab.locator("table.stats-chart tbody tr").nth(5)
        assert busiest.locator("td.num").inner_text() == "30"
        full = busiest.locator(".stats-bar").bounding_box()
        assert bar["width"] == pytest.approx(full["width"] * 0.55, rel=0.1)
        tab.click("a:text-is('Figures')")
        assert tab.url.endswith("/desk/stats/")
    finally:
        context.close()
    assert wide == []
    assert found == []
