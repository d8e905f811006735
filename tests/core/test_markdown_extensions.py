import pytest

from afterword.core.markdown import get_parser, render_markdown

SHOUT = "tests.core.shout_extension.ShoutExtension"
POST_ONLY = "tests.core.shout_extension.PostOnlyExtension"


def test_extension_listed_in_settings_adds_syntax_extras_and_warnings(settings):
    settings.AFTERWORD_MARKDOWN_EXTENSIONS = [SHOUT]

    rendered = render_markdown("A !!great!! film and an empty !!!!.")

    assert rendered.html == (
        "<p>A <mark>GREAT</mark> film and an empty <mark></mark>.</p>\n"
    )
    assert rendered.extras == {"shout": ["great", ""]}
    assert rendered.warnings == ["An empty shout."]
    assert rendered.plain_text == "A GREAT film and an empty ."


def test_extension_output_is_sanitised_like_everything_else(settings):
    settings.AFTERWORD_MARKDOWN_EXTENSIONS = [SHOUT]

    rendered = render_markdown("!!<script>alert(1)</script>!!")

    assert "<script" not in rendered.html
    assert (
        rendered.html == "<p><mark>&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;</mark></p>\n"
    )


def test_extension_runs_only_in_its_profiles(settings):
    settings.AFTERWORD_MARKDOWN_EXTENSIONS = [POST_ONLY]

    assert render_markdown("!!hi!!").html == "<p><mark>HI</mark></p>\n"
    assert render_markdown("!!hi!!", profile="comment").html == "<p>!!hi!!</p>\n"


def test_parser_cache_follows_the_setting(settings):
    settings.AFTERWORD_MARKDOWN_EXTENSIONS = [SHOUT]
    with_extension = get_parser("post")
    assert render_markdown("!!a!!").html == "<p><mark>A</mark></p>\n"

    settings.AFTERWORD_MARKDOWN_EXTENSIONS = []

    assert get_parser("post") is not with_extension
    assert render_markdown("!!a!!").html == "<p>!!a!!</p>\n"


def test_parser_is_built_once_per_profile():
    assert get_parser("post") is get_parser("post")
    assert get_parser("comment") is not get_parser("post")


def test_listing_something_that_is_not_an_extension_fails_clearly(settings):
    settings.AFTERWORD_MARKDOWN_EXTENSIONS = [
        "tests.core.shout_extension.NotAnExtension"
    ]

    with pytest.raises(TypeError, match="NotAnExtension is not a MarkdownExtension"):
        render_markdown("text")


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="Unknown Markdown profile 'feed'"):
        render_markdown("text", profile="feed")
