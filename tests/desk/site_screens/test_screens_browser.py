"""Every screen of this part of the desk, in Chromium at a phone's width:
no sideways scrolling, and axe-core finds nothing serious in light or dark."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.accounts.actions import SetRole
from afterword.catalog.actions import link_post_to_work, save_catalog_object
from afterword.catalog.models import Organisation, Person, Work
from afterword.series.actions import save_part, save_series
from afterword.series.models import Series, SeriesPart
from afterword.subscriptions.models import Follow, Subscriber
from afterword.theme.actions import SaveAppearance
from afterword.theme.models import SiteAppearance
from tests import factories
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations, require_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
PHONE = {"width": 375, "height": 812}


def a_site_with_everything():
    admin = factories.UserFactory(username="ada")
    SetRole(admin, "administrator").run()
    SetRole(factories.UserFactory(username="rumi"), "author").run()
    post = factories.save(
        factories.PostFactory.build(author=admin, title="Memories, a long look")
    )
    work = save_catalog_object(
        Work(
            title="Magnetic Rose: a very long title that should wrap on a phone",
            original_title="彼女の想いで",
            slug="magnetic-rose",
            kind="segment",
            year=1995,
        )
    )
    link_post_to_work(post, work, primary=True)
    save_catalog_object(Person(name="Koji Morimoto", slug="koji-morimoto"))
    save_catalog_object(Organisation(name="Studio 4°C", slug="studio-4c"))
    series = save_series(Series(title="Memories", slug="memories"))
    save_part(SeriesPart(series=series, position=1, post=post))
    save_part(
        SeriesPart(
            series=series,
            position=2,
            planned_title="Stink Bomb",
            expected_date=timezone.localdate() - datetime.timedelta(days=3),
        )
    )
    for n in range(3):
        subscriber = Subscriber.objects.create(
            email=f"reader{n}@example.org", confirmed_at=timezone.now()
        )
        Follow.objects.create(
            subscriber=subscriber, target="site", confirmed_at=timezone.now()
        )
    SaveAppearance(SiteAppearance(accent_colour="#1d4e89", footer_text="Lisbon")).run()
    return work, series


def test_each_screen_fits_a_phone_and_passes_axe(live_server, browser):
    require_axe()
    work, series = a_site_with_everything()
    screens = [
        reverse("desk:catalog"),
        reverse("desk:catalog") + "?list=people",
        reverse("desk:catalog") + "?list=organisations",
        reverse("desk:catalog_edit", args=["works", work.pk]),
        reverse("desk:catalog_new", args=["people"]),
        reverse("desk:series"),
        reverse("desk:series_edit", args=[series.pk]),
        reverse("desk:series_new"),
        reverse("desk:followers"),
        reverse("desk:appearance"),
        reverse("desk:settings"),
        reverse("desk:people"),
        reverse("desk:discussion_settings"),
        "/",
    ]
    context = browser.new_context(bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    too_wide, found = [], []
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/desk/")
        page.fill("#id_username", "ada")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/desk/")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for path in screens:
                response = page.goto(live_server.url + path)
                assert response.status == 200, path
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide.append((scheme, path, width))
                for violation in axe_violations(page):
                    if violation["impact"] in BLOCKING_IMPACTS:
                        found.append(
                            (scheme, path, violation["id"], violation["targets"])
                        )
        # A refused form, as a writer sees it: errors and kept input, still fitting.
        page.emulate_media(color_scheme="light")
        page.goto(live_server.url + reverse("desk:appearance"))
        page.fill("#id_accent_colour", "#ffee00")
        page.click("text=Save appearance")
        assert "too light" in page.content()
        assert page.input_value("#id_accent_colour") == "#ffee00"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        found += [
            ("light", "appearance refused", v["id"], v["targets"])
            for v in axe_violations(page)
            if v["impact"] in BLOCKING_IMPACTS
        ]
    finally:
        context.close()
    assert too_wide == []
    assert found == []
