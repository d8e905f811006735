"""The one allow-list: a battery of XSS payloads, and what it keeps."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from afterword.core.markdown import render_markdown
from afterword.core.sanitize import COMMENT_TAGS, POST_TAGS, clean_html

URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "data", "poster"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_harmless(html: str, allowed_tags=POST_TAGS) -> None:
    """Fail if ``html`` holds anything a browser could run or be steered by."""
    collector = _Collector()
    collector.feed(html)
    for tag, attrs in collector.elements:
        assert tag in allowed_tags, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} survived in {html!r}"
            assert name not in {"style", "target", "srcdoc", "formaction"}, html
            if name in URL_ATTRIBUTES:
                scheme = urlsplit((value or "").strip()).scheme.lower()
                assert scheme in {"", "http", "https", "mailto"}, html


HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)//",
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<img srcset="x" onload="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
    'alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="https://ok.example/" target="_blank" onclick="alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body { display: none }</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<form action="javascript:alert(1)">'
    '<button formaction="javascript:1">x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    '<object data="javascript:alert(1)"></object><embed src="x.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<video poster="javascript:alert(1)"><source src="x"></video>',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
]


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_raw_html_payloads_are_neutralised_in_posts(payload):
    assert_harmless(render_markdown(payload).html)


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_raw_html_payloads_are_neutralised_in_comments(payload):
    assert_harmless(
        render_markdown(payload, profile="comment").html, allowed_tags=COMMENT_TAGS
    )


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_sanitiser_alone_neutralises_payloads(payload):
    assert_harmless(clean_html(payload))
    assert_harmless(clean_html(payload, profile="comment"), allowed_tags=COMMENT_TAGS)


MARKDOWN_PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '[x](https://ok.example/ "title\\" onmouseover=\\"alert(1)")',
    '![x" onerror="alert(1)](/a.png)',
    '```"><script>alert(1)</script>\ncode\n```',
]


@pytest.mark.parametrize("profile", ["post", "comment"])
@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_markdown_payloads_are_neutralised(payload, profile):
    allowed = POST_TAGS if profile == "post" else COMMENT_TAGS
    assert_harmless(render_markdown(payload, profile=profile).html, allowed)


def test_script_and_style_are_dropped_with_their_content():
    assert clean_html("a<script>alert(1)</script>b<style>p{}</style>c") == "abc"


def test_javascript_link_keeps_its_text_but_loses_its_href():
    assert clean_html('<a href="java&#x09;script:alert(1)">read</a>') == "<a>read</a>"
    assert render_markdown("[read](javascript:alert(1))").html == (
        "<p>[read](javascript:alert(1))</p>\n"
    )


def test_image_onerror_is_removed_and_source_kept():
    assert clean_html("<img src=x onerror=alert(1)>") == '<img src="x">'


def test_only_listed_classes_survive():
    html = clean_html(
        '<a class="ref ref-work evil" href="/catalog/works/memories/">M</a>'
        '<span class="ref-missing hidden">X</span><p class="lead">p</p>'
        '<details class="spoiler other"><summary>s</summary></details>'
    )

    assert html == (
        '<a class="ref ref-work" href="/catalog/works/memories/">M</a>'
        '<span class="ref-missing">X</span><p>p</p>'
        '<details class="spoiler"><summary>s</summary></details>'
    )


def test_only_our_data_attributes_survive_and_their_values_are_checked():
    html = clean_html(
        '<div class="video-embed" data-provider="youtube" data-video-id="dQw4w9WgXcQ"'
        ' data-src="https://evil.example/">a</div>'
        '<div data-provider="evil" data-video-id="x&quot; onload=&quot;1">b</div>'
        '<a href="/w/" data-ref-kind="work" data-ref-slug="memories-1995">c</a>'
        '<a href="/w/" data-ref-kind="script" data-ref-slug="a b">d</a>'
    )

    assert html == (
        '<div class="video-embed" data-provider="youtube" data-video-id="dQw4w9WgXcQ">'
        "a</div><div>b</div>"
        '<a href="/w/" data-ref-kind="work" data-ref-slug="memories-1995">c</a>'
        '<a href="/w/">d</a>'
    )


def test_code_keeps_only_a_language_class():
    assert clean_html('<code class="language-python evil">x</code>') == (
        '<code class="language-python">x</code>'
    )
    assert clean_html('<code class="evil">x</code>') == "<code>x</code>"


def test_rel_keeps_only_known_link_types():
    assert clean_html('<a href="/" rel="noopener me opener">x</a>') == (
        '<a href="/" rel="noopener me">x</a>'
    )


def test_comment_profile_forces_rel_and_drops_ids():
    html = clean_html(
        '<h2 id="x">t</h2><a href="https://e.example/" id="comments" rel="me">l</a>',
        profile="comment",
    )

    assert html == 't<a href="https://e.example/" rel="nofollow ugc noopener">l</a>'


def test_common_safe_html_is_kept_in_posts():
    html = (
        "<p>Ryuichi Sakamoto <ruby>坂本<rp>(</rp><rt>さかもと</rt><rp>)</rp></ruby>"
        ' <abbr title="Original video animation">OVA</abbr>'
        ' <kbd>Ctrl</kbd> <mark>note</mark> <time datetime="1995-12-23">1995</time>'
        ' <q cite="https://e.example/">quote</q></p>'
    )

    assert clean_html(html) == html


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="Unknown sanitiser profile"):
        clean_html("x", profile="email")


def test_comment_policy_is_a_restriction_of_the_post_policy():
    assert COMMENT_TAGS < POST_TAGS


def test_catalog_references_survive_in_comments_with_forced_rel():
    html = clean_html(
        '<a class="ref ref-person" href="/catalog/people/satoshi-kon/"'
        ' data-ref-kind="person" data-ref-slug="satoshi-kon">Satoshi Kon</a>'
        '<span class="ref-missing">Nobody</span>',
        profile="comment",
    )

    assert html == (
        '<a class="ref ref-person" href="/catalog/people/satoshi-kon/"'
        ' data-ref-kind="person" data-ref-slug="satoshi-kon"'
        ' rel="nofollow ugc noopener">Satoshi Kon</a>'
        '<span class="ref-missing">Nobody</span>'
    )
