"""embeds.js in Chromium: the player loads only when the reader asks for it.

The page is served from a made-up origin through Playwright routing, under the
site's kind of Content-Security-Policy (no inline script); every request that
would leave that origin is aborted and recorded, so the test never touches the
network and can tell exactly what the page tried to fetch.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

import afterword
from afterword.core.markdown import render_markdown

pytestmark = pytest.mark.browser

ORIGIN = "http://afterword.test"
EMBEDS_JS = Path(afterword.__file__).parent / "theme/static/afterword/embeds.js"
CSP = (
    "default-src 'self'; script-src 'self'; "
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
)


@pytest.fixture
def open_post(page):
    """Serve a post body with embeds.js; return the list of outside requests."""
    outside: list[str] = []
    served = {"html": ""}

    def handle(route):
        url = route.request.url
        if url == f"{ORIGIN}/static/embeds.js":
            route.fulfill(path=EMBEDS_JS, content_type="text/javascript")
        elif url == f"{ORIGIN}/":
            route.fulfill(
                body=served["html"],
                content_type="text/html",
                headers={"Content-Security-Policy": CSP},
            )
        else:
            outside.append(url)
            route.abort()

    page.context.route("**/*", handle)

    def open_(markdown: str) -> list[str]:
        body = render_markdown(markdown).html
        served["html"] = (
            "<!doctype html><html lang='en'><title>Post</title>"
            f"<main>{body}</main><script src='/static/embeds.js' defer></script>"
        )
        page.goto(f"{ORIGIN}/")
        return outside

    return open_


def settle(page, outside: list[str], timeout_ms: int = 5000) -> None:
    """Until the new player's request went out (on a loaded machine it
    follows the iframe by more than the 200 ms once waited here), then a
    moment more, so a second, unwanted request would be seen too."""
    waited = 0
    while not outside and waited < timeout_ms:
        page.wait_for_timeout(50)
        waited += 50
    page.wait_for_timeout(200)


def test_keyboard_activation_swaps_link_for_nocookie_youtube_player(page, open_post):
    outside = open_post("The trailer:\n\nhttps://youtu.be/dQw4w9WgXcQ")
    link = page.get_by_role("link", name="Play video on YouTube")
    expect(link).to_be_visible()
    assert page.locator("iframe").count() == 0
    assert outside == []

    link.focus()
    page.keyboard.press("Enter")

    frame = page.locator(".video-embed iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    expect(frame).to_have_attribute("title", "YouTube video player")
    expect(link).to_have_count(0)
    expect(frame).to_be_focused()
    assert page.url == f"{ORIGIN}/"
    settle(page, outside)
    assert outside == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"]


def test_click_loads_the_vimeo_player_for_that_embed_only(page, open_post):
    outside = open_post("https://vimeo.com/76979871\n\nhttps://youtu.be/dQw4w9WgXcQ")

    page.get_by_role("link", name="Play video on Vimeo").click()

    frame = page.locator(".video-embed[data-provider=vimeo] iframe")
    expect(frame).to_have_attribute(
        "src", "https://player.vimeo.com/video/76979871?autoplay=1"
    )
    expect(frame).to_have_attribute("title", "Vimeo video player")
    expect(page.get_by_role("link", name="Play video on YouTube")).to_be_visible()
    settle(page, outside)
    assert outside == ["https://player.vimeo.com/video/76979871?autoplay=1"]


def test_tampered_embed_is_left_as_a_plain_link(page, open_post):
    """An id the sanitiser would never let through still builds no iframe."""
    open_post("https://youtu.be/dQw4w9WgXcQ")
    page.evaluate(
        "document.querySelector('.video-embed')"
        ".setAttribute('data-video-id', 'x\" onload=\"alert(1)')"
    )

    with page.expect_request("https://www.youtube.com/watch?v=dQw4w9WgXcQ"):
        page.get_by_role("link", name="Play video on YouTube").click()

    assert page.locator("iframe").count() == 0
