"""axe-core finds no serious or critical problem on the catalog's pages.

Checked in light and dark colour schemes, with the reference card open on a
post page, since the card is drawn over the text.
"""

from __future__ import annotations

import pytest

from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations, require_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalog_pages_have_no_serious_accessibility_violations(
    live_server, browser, catalog, review
):
    require_axe()
    post = review(
        catalog["magnetic-rose-1995"],
        rating="4",
        spoilers=True,
        body="On [[Memories (1995)]] and [[Yoko Kanno]].",
    )
    context = browser.new_context(bypass_csp=True)  # to inject axe
    page = context.new_page()
    page.set_default_timeout(10_000)
    found = []
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for path in [
                "/catalog/",
                "/catalog/works/memories-1995/",
                "/catalog/people/satoshi-kon/",
                "/catalog/organisations/studio-4c/",
                post.get_absolute_url(),
            ]:
                page.goto(live_server.url + path)
                if path == post.get_absolute_url():
                    page.locator("a.ref-person").focus()
                    page.get_by_role("tooltip").wait_for()
                found += [
                    (scheme, path, v["id"], v["targets"])
                    for v in axe_violations(page)
                    if v["impact"] in BLOCKING_IMPACTS
                ]
    finally:
        context.close()
    assert found == []
