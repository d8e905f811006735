"""Which figure leads: the first one in plain view, chosen from the tokens."""

from __future__ import annotations

import pytest

from afterword.core.markdown import render_markdown

FIRST = "![A first still](/media/first.png)\nIn plain view."


def lead_src(source: str) -> str | None:
    html = render_markdown(source).lead_figure_html
    if not html:
        return None
    return html.split('src="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("hidden", "why"),
    [
        ("::: spoiler\n![Hidden](/media/hidden.png)\nA caption.\n:::", "spoiler"),
        (
            ":::: spoiler Outer\n::: spoiler Inner\n![Hidden](/media/hidden.png)\n"
            ":::\n::::",
            "nested spoiler",
        ),
        ("> ::: spoiler\n> ![Hidden](/media/hidden.png)\n> :::", "quoted spoiler"),
        (
            "Text.[^1]\n\n[^1]: A note.\n\n    ![Hidden](/media/hidden.png)",
            "footnote",
        ),
        ("<details>\n\n![Hidden](/media/hidden.png)\n\n</details>", "raw details"),
        (
            '<figure><img src="/media/hidden.png" alt="Hidden"></figure>',
            "hand-written figure",
        ),
        ('[a link](/x "<figure><img src=/media/hidden.png></figure>")', "title"),
    ],
)
def test_hidden_figures_never_lead(hidden, why):
    assert lead_src(f"{hidden}\n\n{FIRST}") == "/media/first.png", why
    assert lead_src(hidden) is None, why


@pytest.mark.parametrize(
    "visible",
    [
        "> ![Quoted](/media/first.png)\n> In a quote.",
        "- Item.\n\n  ![Listed](/media/first.png)\n  In a list.",
        "[![Linked](/media/first.png)](/media/full.png)",
    ],
)
def test_figures_in_plain_view_lead_wherever_they_are(visible):
    assert lead_src(f"{visible}\n\n![Second](/media/second.png)") == "/media/first.png"


def test_rendering_the_lead_on_its_own_counts_nothing_twice():
    rendered = render_markdown(
        "::: spoiler\n![Hidden](/media/h.png)\n:::\n\n![](/media/later.png)\nLater."
    )

    assert [image.src for image in rendered.images] == [
        "/media/h.png",
        "/media/later.png",
    ]
    assert rendered.warnings == ["The image /media/later.png has no alt text."]


def test_lead_figure_skips_to_the_next_with_its_caption_and_no_lazy_loading():
    """Second image of the page, so lazy there; alone in a listing card, eager."""
    rendered = render_markdown(
        "::: spoiler\n![Hidden](/media/h.png)\n:::\n\n"
        "![Later](/media/later.png)\nLater, with *style*."
    )

    assert 'src="/media/later.png" alt="Later" loading="lazy"' in rendered.html
    assert rendered.lead_figure_html == (
        '<figure class="figure"><img src="/media/later.png" alt="Later"'
        ' decoding="async"><figcaption>Later, with <em>style</em>.</figcaption>\n'
        "</figure>\n"
    )


def test_a_heading_never_takes_a_spoilers_id():
    html = render_markdown("## Spoiler 1\n\n::: spoiler\nx\n:::").html

    assert '<h2 id="spoiler-1-2">Spoiler 1</h2>' in html
    assert '<details class="spoiler" id="spoiler-1">' in html
