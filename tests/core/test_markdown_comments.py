"""The comment profile: a small safe subset, every link marked as user content."""

from afterword.core.markdown import render_markdown


def comment(source: str) -> str:
    return render_markdown(source, profile="comment").html


def test_comment_keeps_emphasis_links_quotes_code_and_lists():
    html = comment(
        "I *loved* the **score**.\n\n> the dog scene\n\n"
        "1. `inline`\n2. [link](https://example.com/a)\n\n```python\nx = 1\n```"
    )

    assert html == (
        "<p>I <em>loved</em> the <strong>score</strong>.</p>\n"
        "<blockquote>\n<p>the dog scene</p>\n</blockquote>\n"
        "<ol>\n<li><code>inline</code></li>\n"
        '<li><a href="https://example.com/a" rel="nofollow ugc noopener">'
        "link</a></li>\n"
        '</ol>\n<pre><code class="language-python">x = 1\n</code></pre>\n'
    )


def test_every_comment_link_is_nofollow_ugc_even_on_site_links():
    html = comment("[here](/2024/05/review/) and <https://example.com>")

    assert html == (
        '<p><a href="/2024/05/review/" rel="nofollow ugc noopener">here</a> and '
        '<a href="https://example.com" rel="nofollow ugc noopener">'
        "https://example.com</a></p>\n"
    )


def test_newlines_in_comments_are_line_breaks():
    assert comment("first line\nsecond line") == (
        "<p>first line<br>\nsecond line</p>\n"
    )


def test_headings_rules_and_tables_render_as_text_in_comments():
    html = comment("# Big\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |")

    assert "<h1" not in html
    assert "<hr" not in html
    assert "<table" not in html
    assert html.startswith("<p># Big</p>\n<p>---</p>\n<p>| a | b |")


def test_images_in_comments_are_not_images():
    rendered = render_markdown(
        "![pic](https://tracker.example/p.gif)", profile="comment"
    )

    assert "<img" not in rendered.html
    assert rendered.images == []


def test_raw_html_in_comments_is_shown_as_text():
    html = comment('<b onmouseover="alert(1)">bold</b> <script>alert(2)</script>')

    assert html == (
        '<p>&lt;b onmouseover="alert(1)"&gt;bold&lt;/b&gt; '
        "&lt;script&gt;alert(2)&lt;/script&gt;</p>\n"
    )


def test_footnotes_and_strikethrough_are_not_comment_syntax():
    html = comment("A[^1] ~~b~~\n\n[^1]: note")

    assert "footnote" not in html
    assert "<s>" not in html


def test_javascript_links_in_comments_are_not_links():
    html = comment("[click](javascript:alert(1)) [data](data:text/html,x)")

    assert "href" not in html
    assert html == "<p>[click](javascript:alert(1)) [data](data:text/html,x)</p>\n"
