"""What the external corpora found, each kept as a small test of its own.

These need no download: the inputs are written here, shaped like the
corpus case that showed the problem, so they run in every test run.
"""

from __future__ import annotations

import pytest

from afterword.core.markdown import render_markdown
from afterword.core.sanitize import clean_html

from .checks import problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "markdown",
    [
        # A paragraph held a <button> or <object> that held a paragraph:
        # the dropped tag left <p> inside <p>.
        "A note<object><p>kept words</p></object> and more",
        "Text with <button><p>a paragraph</p></button> inside",
        # A dropped <marquee> left one link inside another.
        'See <a href="/one">first<marquee><a href="/two">second</a></marquee></a>',
        # Newlines at the start of <pre> are eaten one per reading.
        "<pre>\n\nindented</pre>",
    ],
)
def test_a_dropped_tag_leaves_html_that_reads_back_the_same(markdown):
    """Found by html5lib's tree-construction cases (inbody01, tests20, tests1)
    and feedparser's ``*_object`` cases: the stored HTML was not a fixed point
    of the sanitiser, so the browser's tree differed from the cleaned one.
    """
    for profile in ("post", "comment"):
        html = render_markdown(markdown, profile=profile).html

        assert clean_html(html, profile=profile) == html
        assert problems(html, profile=profile) == []


def test_text_around_a_dropped_block_is_kept_in_order():
    html = render_markdown("A note<object><p>kept words</p></object> and more").html

    assert html.index("A note") < html.index("kept words") < html.index("and more")
