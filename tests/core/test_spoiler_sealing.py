"""Hand-written HTML cannot let a spoiler's text out of its block.

Summaries, meta descriptions and search text are read from the page HTML,
where a spoiler's text is inside its ``<details>``, unless HTML the writer
typed breaks the block: a stray ``</details>`` inside it closes it early, and
an unclosed ``<title>`` or ``<xmp>`` before it turns everything after into
visible text. Spoilers are sealed (each sanitised on its own, then checked to
have survived intact), so in both cases the spoiler's text reaches no reader
and the writer is told why.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.urls import reverse

from afterword.core.markdown import render_markdown

SECRET = "the keeper was dead"

BODIES = {
    "closed early from inside": (
        "A slow film about a lighthouse.\n\n"
        "::: spoiler How it ends\n"
        "It turns out </details> the keeper was dead all along.\n"
        ":::\n\n"
        "Worth the wait."
    ),
    "swallowed by a tag before it": (
        "A slow film about a lighthouse and its <title> card.\n\n"
        "::: spoiler How it ends\n"
        "It turns out the keeper was dead all along.\n"
        ":::\n\n"
        "Worth the wait."
    ),
    "swallowed inside a quote": (
        "> A slow film about a lighthouse. <xmp>\n>\n"
        "> ::: spoiler How it ends\n"
        "> It turns out the keeper was dead all along.\n"
        "> :::\n\n"
        "Worth the wait."
    ),
}


def meta(html: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{name}" content="([^"]*)"', html)
    return htmllib.unescape(found.group(1))


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_summary_and_descriptions_never_hold_a_spoiler_broken_by_html(
    client, post_factory, body
):
    post = post_factory(title="The Lighthouse", body=body, excerpt="")

    page = client.get(post.get_absolute_url()).content.decode()
    home = client.get(reverse("posts:home")).content.decode()
    found = client.get(reverse("search:results"), {"q": "lighthouse"})

    assert "A slow film about a lighthouse" in post.summary
    assert SECRET not in post.summary
    assert "A slow film about a lighthouse" in meta(page, "name", "description")
    assert SECRET not in meta(page, "name", "description")
    assert SECRET not in meta(page, "property", "og:description")
    assert SECRET not in home
    assert "The Lighthouse" in found.content.decode()
    assert SECRET not in found.content.decode()


def test_a_spoiler_closed_early_keeps_its_text_inside_it():
    rendered = render_markdown(BODIES["closed early from inside"])

    opening = rendered.html.index('<details class="spoiler" id="spoiler-1">')
    closing = rendered.html.index("</details>")
    assert opening < rendered.html.index(SECRET) < closing
    assert rendered.warnings == []


def test_a_swallowed_spoiler_is_left_out_and_the_writer_is_told(client, writer):
    client.force_login(writer)

    response = client.post(
        reverse("admin:posts_post_preview"),
        {"body": BODIES["swallowed by a tag before it"]},
    )

    preview = response.json()
    assert SECRET not in preview["html"]
    assert preview["warnings"] == [
        "HTML before or inside a spoiler is not closed, so the spoiler's text "
        "is left out of the page until that HTML is fixed."
    ]
