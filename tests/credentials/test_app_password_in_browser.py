"""An application password from making to revoking, the way a writer and a
script meet it.

In Chromium, an author signs in on the site's sign-in page, opens *App
passwords* from the desk's header, makes one and reads it off the page. A
script (``requests``, HTTP Basic) uploads an image with its alt text and
publishes a post that shows it as a figure; the reader's page carries it.
Back in Chromium the author revokes the password, and the script's next
call is refused with the API's error object.
"""

from __future__ import annotations

import html5lib
import pytest
import requests
from django.urls import reverse

from afterword.credentials.models import AppPassword
from afterword.posts.models import Post
from tests import factories
from tests.media.images import image_bytes
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
ALT = "A blue and orange gradient, like a sky at dusk"
CAPTION = "The sky over the harbour, an hour after sunset."


@pytest.fixture
def desk(browser, live_server):
    """A Chromium page signed in as the author ``ada`` through the sign-in page."""
    factories.writer("author", "ada")
    # axe-core is injected as a script, which the site's policy rightly refuses.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/desk/")
    page.fill("input[name=login]", "ada")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action*='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")
    yield page
    context.close()


def blocking(page) -> list[dict]:
    return [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]


def figures(html: str) -> list[dict]:
    """Each <figure> of a page: its images' src and alt, and its caption."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for figure in tree.iter("figure"):
        caption = figure.find(".//figcaption")
        found.append(
            {
                "images": [
                    (img.get("src"), img.get("alt")) for img in figure.iter("img")
                ],
                "caption": "".join(caption.itertext()).strip()
                if caption is not None
                else "",
            }
        )
    return found


def test_a_password_made_in_the_desk_publishes_a_figure_until_revoked_there(
    desk, live_server, media_root
):
    base = live_server.url
    screen = base + reverse("desk:app_passwords")
    desk.get_by_role("link", name="App passwords").click()
    desk.wait_for_url(screen)
    desk.get_by_label("Name").fill("Phone")
    desk.get_by_role("button", name="Make password").click()
    desk.wait_for_selector("[data-app-password]")
    plain = desk.inner_text("[data-app-password]").strip()
    assert len(plain.replace(" ", "")) >= 24
    row = AppPassword.objects.get()
    assert (row.user.username, row.name) == ("ada", "Phone")
    assert {"draft", "publish"} <= set(row.scopes.split())
    assert blocking(desk) == []

    script = requests.Session()
    script.auth = ("ada", plain)
    uploaded = script.post(
        base + "/api/v1/media",
        files={"file": ("dusk.png", image_bytes(size=(800, 500)), "image/png")},
        data={"alt_text": ALT},
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    image = uploaded.json()
    assert (image["alt_text"], image["uploaded_by"]) == (ALT, "ada")
    assert (media_root / image["url"].removeprefix("/media/")).is_file()

    body = (
        "We walked to the end of the pier.\n\n"
        f"![{ALT}]({image['url']})\n{CAPTION}\n\n"
        "Nobody said anything for a while."
    )
    made = script.post(
        base + "/api/v1/posts",
        json={"title": "Dusk at the harbour", "body": body, "status": "published"},
        timeout=30,
    )
    assert made.status_code == 201, made.text
    post = made.json()
    assert (post["status"], post["author"]) == ("published", "ada")
    assert Post.objects.get(pk=post["id"]).is_live()

    reader = requests.get(base + post["url"], timeout=30)
    assert reader.status_code == 200
    assert {"images": [(image["url"], ALT)], "caption": CAPTION} in figures(reader.text)
    picture = requests.get(base + image["url"], timeout=30)
    assert picture.status_code == 200
    assert picture.headers["Content-Type"] == "image/png"

    desk.get_by_role("button", name="Revoke “Phone”").click()
    desk.wait_for_selector("text=no longer works")
    revoked_row = desk.locator("table.list tbody tr", has_text="Phone")
    assert "Revoked" in revoked_row.inner_text()
    assert blocking(desk) == []

    refused = script.get(base + "/api/v1/posts", timeout=30)
    assert refused.status_code == 401
    assert "Basic" in refused.headers["WWW-Authenticate"]
    error = refused.json()["error"]
    assert error["code"] == "invalid_token"
    assert "application password" in error["message"]
    assert error["fields"] == {}
    assert Post.objects.count() == 1
