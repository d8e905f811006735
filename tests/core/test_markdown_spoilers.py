"""Spoiler blocks: hidden in a <details>, never in plain text."""

import pytest

from afterword.core.markdown import render_markdown

SOURCE = (
    "Before the twist.\n\n"
    "::: spoiler The ending\n"
    "Kanda *survives*.\n\n"
    "- and so does the dog\n"
    ":::\n\n"
    "After the twist."
)


@pytest.mark.parametrize(
    ("profile", "opening"),
    [
        # Posts number their spoilers so feeds and emails can link to them;
        # comments may carry no ids.
        ("post", '<details class="spoiler" id="spoiler-1">'),
        ("comment", '<details class="spoiler">'),
    ],
)
def test_spoiler_block_renders_as_closed_details_with_label(profile, opening):
    html = render_markdown(SOURCE, profile=profile).html

    assert html == (
        "<p>Before the twist.</p>\n"
        f"{opening}\n<summary>Spoiler: The ending</summary>\n"
        "<p>Kanda <em>survives</em>.</p>\n<ul>\n<li>and so does the dog</li>\n</ul>\n"
        "</details>\n<p>After the twist.</p>\n"
    )


@pytest.mark.parametrize("profile", ["post", "comment"])
def test_spoiler_text_is_absent_from_plain_text(profile):
    rendered = render_markdown(SOURCE, profile=profile)

    assert rendered.plain_text == "Before the twist. After the twist."


def test_spoiler_without_label_says_spoiler():
    html = render_markdown("::: spoiler\nHidden.\n:::").html

    assert html.startswith(
        '<details class="spoiler" id="spoiler-1">\n<summary>Spoiler</summary>'
    )


def test_spoiler_label_is_escaped():
    html = render_markdown('::: spoiler <img src=x onerror="alert(1)">\nx\n:::').html

    assert '<summary>Spoiler: &lt;img src=x onerror="alert(1)"&gt;</summary>' in html
    assert "<img" not in html


def test_unclosed_spoiler_hides_the_rest_of_the_text():
    rendered = render_markdown("Seen.\n\n::: spoiler\nNever seen.\n\nNor this.")

    assert rendered.plain_text == "Seen."
    assert rendered.html.endswith("<p>Nor this.</p>\n</details>\n")


def test_nested_spoilers_and_figures_inside_spoilers_stay_hidden():
    rendered = render_markdown(
        ":::: spoiler Act three\nOuter.\n\n::: spoiler Epilogue\nInner.\n:::\n\n"
        "![The last shot](/last.png)\nThe last shot.\n::::\n\nVisible."
    )

    assert rendered.html.count('<details class="spoiler" id="spoiler-') == 2
    assert "<summary>Spoiler: Epilogue</summary>" in rendered.html
    assert rendered.plain_text == "Visible."


def test_other_containers_are_not_spoilers():
    html = render_markdown("::: warning\nText\n:::").html

    assert "details" not in html
    assert html == "<p>::: warning\nText\n:::</p>\n"
