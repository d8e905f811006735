"""The desk's language screen in Chromium: a phone's width, axe-core in light
and dark, and a writer switching the desk to French by hand."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from afterword.accounts.actions import SetRole
from tests import factories
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations, require_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_context(browser, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_switching_the_desk_to_french_on_a_phone(live_server, browser):
    require_axe()
    writer = factories.UserFactory(username="elise")
    SetRole(writer, "contributor").run()
    context = signed_in_context(
        browser,
        live_server,
        writer,
        bypass_csp=True,  # to inject axe
        viewport={"width": 375, "height": 740},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    found = []
    try:
        page.goto(live_server.url + "/desk/settings/language/")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            found += [
                (scheme, v["id"], v["targets"])
                for v in axe_violations(page)
                if v["impact"] in BLOCKING_IMPACTS
            ]
            assert page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"
            )
        page.get_by_label("Language of the desk").select_option("fr")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name="Langue", exact=True).wait_for()
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.get_by_role("status").inner_text().startswith("Langue du bureau")
        assert page.get_by_label("Langue du bureau").input_value() == "fr"
        found += [
            ("french", v["id"], v["targets"])
            for v in axe_violations(page)
            if v["impact"] in BLOCKING_IMPACTS
        ]
        # The public site, one click away, keeps the site's language.
        page.get_by_role("link", name="Voir le site").click()
        page.wait_for_url(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()
    writer.refresh_from_db()
    assert writer.desk_language == "fr"
    assert found == []
