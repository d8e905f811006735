"""Every desk screen in Chromium: no serious or critical axe-core finding in
light or dark, no sideways scrolling at 375 px, and the screenshots the
documentation shows (docs/desk.md) taken on the way.

The screens are the desk routes that answer an administrator's GET with a
page (``screens.desk_routes``), so a new screen is checked without being
listed here. Each is filled by ``desk_world``: a held comment, a published
post and a draft, works, a series with a part past its promised date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

from .screens import desk_routes
from .test_screens_by_role import _arguments, _url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "images" / "desk"
# Screens docs/desk.md shows, by route name.
DOCUMENTED = {
    "desk:home": "home",
    "desk:posts": "posts",
    "desk:edit_post": "editor",
    "desk:comments": "comments",
    "desk:catalog": "catalog",
    "desk:series": "series",
    "desk:followers": "followers",
    "desk:stats": "stats",
    "desk:appearance": "appearance",
    "desk:settings": "settings",
    "desk:people": "people",
}
# Plumbing and machine answers: not screens a writer reads.
NOT_SCREENS = {"desk:advanced"}


def _screens(client, world) -> dict[str, str]:
    """Route name → address, for every route that answers with a page."""
    arguments = _arguments(world)
    client.force_login(world["writers"]["administrator"])
    pages = {}
    for route in desk_routes():
        if route.name in NOT_SCREENS:
            continue
        url = _url(route, arguments)
        answer = client.get(url)
        if answer.status_code == 200 and answer["Content-Type"].startswith("text/html"):
            pages[route.name] = url
    client.logout()
    return pages


def _blocking(page) -> list[dict]:
    return [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]


def test_every_desk_screen_passes_axe_in_light_and_dark_and_fits_a_phone(
    browser, live_server, client, desk_world, record_property
):
    screens = _screens(client, desk_world)
    assert {"desk:home", "desk:posts", "desk:edit_post"} <= set(screens)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", desk_world["writers"]["administrator"].username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/desk/")

    findings, too_wide = {}, {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in sorted(screens.items()):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.emulate_media(color_scheme="light")
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        if name in DOCUMENTED:
            page.screenshot(path=str(SHOTS / f"{DOCUMENTED[name]}.png"))
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            found = _blocking(page)
            if found:
                findings[f"{name} ({scheme})"] = found
        if name in DOCUMENTED:
            page.screenshot(path=str(SHOTS / f"{DOCUMENTED[name]}-dark.png"))
        page.emulate_media(color_scheme="light")
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[name] = width
        if name in DOCUMENTED:
            page.screenshot(path=str(SHOTS / f"{DOCUMENTED[name]}-phone.png"))
    context.close()
    record_property("figure", f"desk screens checked in Chromium: {len(screens)}")
    assert not findings, findings
    assert not too_wide, f"wider than 375 px: {too_wide}"
