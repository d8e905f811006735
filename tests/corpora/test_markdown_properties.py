"""Generated Markdown through the pipeline: the sanitiser's promises hold.

hypothesis writes documents that mix the syntax Afterword adds (figures,
spoilers, footnotes, tables, catalog references, video lines) with raw HTML
fragments and links whose schemes try every known disguise. Whatever comes
out of ``render_markdown`` must be a fixed point of the sanitiser and hold
no event handler, script URL or forbidden element, in both profiles.

The runs are derandomised (the same examples every time, no example
database), so CI is reproducible and a failure shows up on every machine.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afterword.core.markdown import render_markdown
from afterword.core.sanitize import clean_html

from .checks import problems

pytestmark = [pytest.mark.corpora, pytest.mark.django_db]

EXAMPLES = 120
RUNS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Ways of writing a script address that browsers (or sloppy parsers) accept.
SCHEMES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "javascript%3Aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html,x",
    "livescript:alert(1)",
    "//example.com/x",
    'https://example.com/a?b=<c>&d="e"',
    'http://example.com/"onmouseover="alert(1)',
    "mailto:someone@example.com",
    "/media/images/a.png",
    "#top",
    "",
]
WORDS = st.sampled_from(
    [
        "film", "Ryūji", "tränen", "«guillemets»", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a_b", "x*y",
        "`tick`", "<", ">", "&", "&amp;", "&lt;script&gt;", "\\", "|", "'", '"',
        "alert(1)", "onerror=alert(1)", "[[", "]]", ":::", "^", "~~",
    ]
)  # fmt: skip
TAGS = st.sampled_from(
    [
        "a", "img", "p", "div", "span", "details", "summary", "figure",
        "table", "td", "svg", "math", "script", "style", "iframe", "object",
        "embed", "form", "input", "button", "base", "meta", "link", "template",
        "noscript", "textarea", "title", "select", "video", "marquee",
        "plaintext", "xmp", "mglyph", "malignmark", "foreignObject",
    ]
)  # fmt: skip
ATTRIBUTES = st.sampled_from(
    [
        "href", "src", "srcset", "cite", "action", "formaction", "poster",
        "xlink:href", "style", "class", "id", "onerror", "onload", "onclick",
        "ONMOUSEOVER", "onfocus", "autofocus", "data-video-id", "data-provider",
        "data-ref-kind", "data-ref-slug", "rel", "title", "alt", "open",
        "ontoggle", "lang",
    ]
)  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(SCHEMES),
    st.sampled_from(["alert(1)", "spoiler", "video-embed", "youtube", "x\"'<>"]),
    WORDS,
)


@st.composite
def html_fragments(draw) -> str:
    tag = draw(TAGS)
    attributes = draw(st.lists(st.tuples(ATTRIBUTES, VALUES), max_size=3))
    quote = draw(st.sampled_from(['"', "'", ""]))
    written = "".join(
        f" {name}={quote}{value}{quote}" if quote else f" {name}={value!s}"
        for name, value in attributes
    )
    inner = draw(st.one_of(WORDS, st.just(""), st.just("<img src=x onerror=alert(1)>")))
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "<!--", "]]>"]))
    return f"<{tag}{written}>{inner}{closing}"


@st.composite
def inline(draw) -> str:
    word = draw(WORDS)
    url = draw(st.sampled_from(SCHEMES))
    return draw(
        st.sampled_from(
            [
                word,
                f"*{word}*",
                f"**{word}**",
                f"~~{word}~~",
                f"`{word}`",
                f"[{word}]({url})",
                f'[{word}]({url} "{word}")',
                f"<{url}>",
                f"![{word}]({url})",
                f"[[{word}]]",
                f"[[work:{word}|{word}]]",
                f"[[person:{word}]]",
                f"[^{word}]",
                url,
            ]
        )
    ) + draw(st.one_of(st.just(""), html_fragments()))


def line(draw) -> str:
    return " ".join(draw(st.lists(inline(), min_size=1, max_size=4)))


@st.composite
def blocks(draw) -> str:
    text = line(draw)
    url = draw(st.sampled_from(SCHEMES))
    kind = draw(
        st.sampled_from(
            [
                "paragraph", "figure", "spoiler", "footnote", "table", "html",
                "heading", "quote", "list", "fence", "video", "reference-link",
            ]
        )
    )  # fmt: skip
    if kind == "figure":
        return f"![{draw(WORDS)}]({url})\n{text}"
    if kind == "spoiler":
        inside = draw(st.lists(blocks(), max_size=2))
        return f"::: spoiler {draw(WORDS)}\n" + "\n\n".join([text, *inside]) + "\n:::"
    if kind == "footnote":
        return f"[^{draw(WORDS)}]: {text}"
    if kind == "table":
        return f"| {text} | b |\n|:---|---:|\n| {line(draw)} | {draw(WORDS)} |"
    if kind == "html":
        return draw(html_fragments()) + "\n" + text
    if kind == "heading":
        return f"{'#' * draw(st.integers(1, 6))} {text}"
    if kind == "quote":
        return f"> {text}\n> {line(draw)}"
    if kind == "list":
        return f"- {text}\n- {line(draw)}\n  1. {draw(WORDS)}"
    if kind == "fence":
        return f"```{draw(WORDS)}\n{text}\n```"
    if kind == "video":
        video = draw(
            st.sampled_from(
                [
                    "https://www.youtube.com/watch?v=abcdefghijk",
                    'https://youtu.be/abcdefghijk"onload=alert(1)',
                    "https://vimeo.com/123456",
                    "https://vimeo.com/123456?<script>",
                ]
            )
        )
        return video
    if kind == "reference-link":
        return f"[{draw(WORDS)}][r]\n\n[r]: {url}"
    return text


DOCUMENTS = st.lists(blocks(), min_size=1, max_size=6).map("\n\n".join)


@pytest.fixture(scope="module")
def generated():
    """Counts of the documents tried, for the run's closing line."""
    return {"count": 0}


@pytest.mark.parametrize("profile", ["post", "comment"])
def test_generated_markdown_renders_to_a_safe_fixed_point(profile, generated, tally):
    tried = []

    @RUNS
    @given(DOCUMENTS)
    def check(source):
        tried.append(source)
        html = render_markdown(source, profile=profile).html
        assert problems(html, profile=profile) == [], source

    check()
    tally("hypothesis", cases=len(tried))
    assert len(tried) >= EXAMPLES // 2


@pytest.mark.parametrize("profile", ["post", "comment"])
def test_generated_html_cleans_to_a_safe_fixed_point(profile, tally):
    tried = []

    @RUNS
    @given(st.lists(st.one_of(html_fragments(), WORDS), max_size=8).map("".join))
    def check(markup):
        tried.append(markup)
        assert problems(clean_html(markup, profile=profile), profile=profile) == []

    check()
    tally("hypothesis", cases=len(tried))
