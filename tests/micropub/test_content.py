"""HTML content is kept as HTML: one raw block that Markdown never reads."""

from __future__ import annotations

from afterword.core.markdown import render_markdown
from afterword.micropub.content import html_block, title_for


def test_blank_lines_inside_html_survive_exactly_and_markdown_stays_text():
    block = html_block("<p>One *two*</p>\n\n\n<pre>a\n\n  \nb</pre>\n<p>1. x</p>")
    html = render_markdown(block).html
    assert "<pre>a\n\n  \nb</pre>" in html
    assert "<p>One *two*</p>" in html
    assert "<p>1. x</p>" in html and "<ol" not in html


def test_a_note_is_titled_with_its_first_words_without_markup_or_scripts():
    content = {"html": "<p>Tom &amp; Jerry<script>alert(1)</script> run</p>"}
    assert title_for(None, content, has_photos=False) == "Tom & Jerry run"
    words = "one two three four five six seven eight nine ten"
    assert (
        title_for("", words, has_photos=False)
        == "one two three four five six seven eight…"
    )
    assert title_for("  A   name ", words, has_photos=False) == "A name"
