"""The theme obeys the strict Content Security Policy.

No inline scripts, event handlers or style attributes in the theme's
templates; every script is a file or JSON-LD, and carries the request's
nonce (``{% nonce_attribute %}``, which a static copy's pages go without).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "src/afterword/theme/templates"
THEME_TEMPLATES = sorted(
    p
    for p in TEMPLATES.rglob("*.html")
    if "admin" not in p.relative_to(TEMPLATES).parts
)


@pytest.mark.parametrize(
    "path", THEME_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_theme_template_has_no_inline_script_style_or_handler(path):
    text = path.read_text()
    assert not re.search(r"\sstyle\s*=", text)
    assert not re.search(r"<style\b", text)
    assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE)
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert 'src="' in tag or 'type="application/ld+json"' in tag, tag
        assert "{% nonce_attribute %}" in tag, tag


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_load_without_csp_violations(live_server, demo_site, browser):
    from afterword.posts.models import Post

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        for post in Post.objects.live().order_by("-published_at")[:3]:
            page.goto(live_server.url + post.get_absolute_url())
        page.goto(live_server.url + "/")
    finally:
        context.close()
    assert refused == []
