"""Bare YouTube/Vimeo URLs become click-to-load embeds; nothing else does."""

import pytest

from afterword.core.markdown import render_markdown
from afterword.core.markdown_rules.video import NotAVideo, Video, parse_video_url

YOUTUBE_EMBED = (
    '<div class="video-embed" data-provider="youtube" data-video-id="dQw4w9WgXcQ">'
    '<a class="video-embed-link" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"'
    ' rel="noopener">Play video on YouTube</a></div>\n'
)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42",
        "http://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ],
)
def test_youtube_url_alone_in_a_paragraph_becomes_an_embed(url):
    assert render_markdown(url).html == YOUTUBE_EMBED


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/76979871",
        "https://www.vimeo.com/76979871/",
        "https://vimeo.com/channels/staffpicks/76979871",
        "https://player.vimeo.com/video/76979871?h=1",
    ],
)
def test_vimeo_url_alone_in_a_paragraph_becomes_an_embed(url):
    assert render_markdown(url).html == (
        '<div class="video-embed" data-provider="vimeo" data-video-id="76979871">'
        '<a class="video-embed-link" href="https://vimeo.com/76979871"'
        ' rel="noopener">Play video on Vimeo</a></div>\n'
    )


def test_autolinked_video_url_becomes_an_embed():
    assert render_markdown("<https://youtu.be/dQw4w9WgXcQ>").html == YOUTUBE_EMBED


def test_video_url_on_its_own_line_splits_the_paragraph():
    html = render_markdown(
        "The trailer:\nhttps://youtu.be/dQw4w9WgXcQ\nwatch it *loud*."
    ).html

    assert html == (
        "<p>The trailer:</p>\n" + YOUTUBE_EMBED + "<p>watch it <em>loud</em>.</p>\n"
    )


def test_video_links_inside_text_stay_links():
    html = render_markdown(
        "See [the trailer](https://youtu.be/dQw4w9WgXcQ) or"
        " https://youtu.be/dQw4w9WgXcQ later."
    ).html

    assert html == (
        '<p>See <a href="https://youtu.be/dQw4w9WgXcQ" rel="noopener">the trailer</a>'
        " or https://youtu.be/dQw4w9WgXcQ later.</p>\n"
    )


def test_video_url_in_a_code_block_is_left_alone():
    html = render_markdown("```\nhttps://youtu.be/dQw4w9WgXcQ\n```").html

    assert html == "<pre><code>https://youtu.be/dQw4w9WgXcQ\n</code></pre>\n"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload",
        'https://youtu.be/dQw4w9WgXc"',
        "https://youtu.be/dQw4w9WgXcQQ",
        "https://www.youtube.com/shorts/../../evil",
        "https://vimeo.com/12ab34",
        "https://vimeo.com/123456789012345",
        "https://player.vimeo.com/video/1%3Cscript",
    ],
)
def test_malformed_video_urls_are_not_embedded_and_are_reported(url):
    rendered = render_markdown(url)

    assert "video-embed" not in rendered.html
    assert rendered.html.startswith("<p>")
    assert rendered.warnings == [
        f"{url} does not look like a video Afterword can embed."
    ]


def test_other_sites_are_not_videos():
    rendered = render_markdown("https://example.com/watch?v=dQw4w9WgXcQ")

    assert rendered.html == "<p>https://example.com/watch?v=dQw4w9WgXcQ</p>\n"
    assert rendered.warnings == []


def test_parse_video_url_checks_scheme_host_and_id():
    assert parse_video_url("https://youtu.be/dQw4w9WgXcQ") == Video(
        "youtube", "dQw4w9WgXcQ"
    )
    assert parse_video_url("javascript://youtu.be/dQw4w9WgXcQ") is None
    assert parse_video_url("https://evilyoutube.com/watch?v=dQw4w9WgXcQ") is None
    with pytest.raises(NotAVideo):
        parse_video_url("https://youtube.com/watch?v=dQw4w9WgXcQ<")


def test_embeds_are_not_made_in_comments():
    html = render_markdown("https://youtu.be/dQw4w9WgXcQ", profile="comment").html

    assert html == "<p>https://youtu.be/dQw4w9WgXcQ</p>\n"
