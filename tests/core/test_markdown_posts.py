"""The post profile: CommonMark plus tables, footnotes, anchors and figures."""

from afterword.core.markdown import Heading, ImageRef, render_markdown


def test_image_followed_by_caption_line_becomes_a_figure_with_caption():
    rendered = render_markdown(
        "![A tank crosses a frozen river](/media/images/2024/05/tank.png)\n"
        "The opening shot of Cannon Fodder."
    )

    assert rendered.html == (
        '<figure class="figure"><img src="/media/images/2024/05/tank.png"'
        ' alt="A tank crosses a frozen river" decoding="async">'
        "<figcaption>The opening shot of Cannon Fodder.</figcaption>\n</figure>\n"
    )
    assert rendered.images == [
        ImageRef(
            src="/media/images/2024/05/tank.png",
            alt="A tank crosses a frozen river",
            caption="The opening shot of Cannon Fodder.",
        )
    ]


def test_caption_keeps_inline_markdown():
    rendered = render_markdown(
        "![Poster](/p.png)\nThe poster of *Memories*, see [the studio](/studio/)."
    )

    assert (
        "<figcaption>The poster of <em>Memories</em>, see "
        '<a href="/studio/">the studio</a>.</figcaption>'
    ) in rendered.html
    assert rendered.images[0].caption == "The poster of Memories, see the studio."
    assert rendered.plain_text == "The poster of Memories, see the studio."


def test_image_alone_in_its_paragraph_is_a_figure_without_caption():
    html = render_markdown("Before.\n\n![A still](/still.png)\n\nAfter.").html

    assert html == (
        "<p>Before.</p>\n"
        '<figure class="figure"><img src="/still.png" alt="A still" decoding="async">'
        "</figure>\n<p>After.</p>\n"
    )


def test_linked_image_alone_becomes_a_figure_keeping_its_link():
    html = render_markdown("[![Still](/s.png)](/full.png)\nFull size.").html

    assert html.startswith(
        '<figure class="figure"><a href="/full.png"><img src="/s.png" alt="Still"'
    )
    assert "<figcaption>Full size.</figcaption>" in html


def test_image_inside_text_stays_inline():
    html = render_markdown("Rated ![four stars](/4.png) out of five.").html

    assert html == (
        '<p>Rated <img src="/4.png" alt="four stars" decoding="async">'
        " out of five.</p>\n"
    )
    assert "<figure" not in html


def test_only_the_first_image_loads_eagerly():
    html = render_markdown("![One](/1.png)\n\n![Two](/2.png)\n\n![Three](/3.png)").html

    assert '<img src="/1.png" alt="One" decoding="async">' in html
    assert '<img src="/2.png" alt="Two" loading="lazy" decoding="async">' in html
    assert '<img src="/3.png" alt="Three" loading="lazy" decoding="async">' in html


def test_image_without_alt_is_reported():
    rendered = render_markdown("![](/media/x.png)")

    assert rendered.images == [ImageRef(src="/media/x.png", alt="", caption="")]
    assert rendered.warnings == ["The image /media/x.png has no alt text."]


def test_table_with_alignment_uses_classes_not_styles():
    html = render_markdown(
        "| Release | Year |\n|:--|--:|\n| DVD | 2004 |\n| Blu-ray | 2021 |"
    ).html

    assert html == (
        "<table>\n<thead>\n<tr>\n"
        '<th class="align-left" scope="col">Release</th>\n'
        '<th class="align-right" scope="col">Year</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td class="align-left">DVD</td>\n<td class="align-right">2004</td>\n'
        "</tr>\n<tr>\n"
        '<td class="align-left">Blu-ray</td>\n<td class="align-right">2021</td>\n'
        "</tr>\n</tbody>\n</table>\n"
    )


def test_footnotes_link_both_ways_and_stay_out_of_plain_text():
    rendered = render_markdown(
        "The score is by Takkyu Ishino.[^1]\n\n[^1]: Of Denki Groove."
    )

    assert (
        '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>'
        in rendered.html
    )
    assert (
        '<li id="fn1" class="footnote-item"><p>Of Denki Groove. '
        '<a href="#fnref1" class="footnote-backref" aria-label="Back to reference 1">'
    ) in rendered.html
    assert '<section class="footnotes" aria-label="Footnotes">' in rendered.html
    assert rendered.plain_text == "The score is by Takkyu Ishino."


def test_headings_get_ids_from_their_text():
    rendered = render_markdown("## The score\n\n### Voice *cast* & crew")

    assert '<h2 id="the-score">The score</h2>' in rendered.html
    assert (
        '<h3 id="voice-cast-crew">Voice <em>cast</em> &amp; crew</h3>' in rendered.html
    )
    assert rendered.headings == [
        Heading(2, "the-score", "The score"),
        Heading(3, "voice-cast-crew", "Voice cast & crew"),
    ]


def test_duplicate_headings_get_unique_ids():
    rendered = render_markdown("## Verdict\n\n## Verdict\n\nSetext\n---\n\n## Verdict")

    assert [h.id for h in rendered.headings] == [
        "verdict",
        "verdict-2",
        "setext",
        "verdict-3",
    ]


def test_heading_ids_avoid_the_theme_landmarks_and_keep_non_latin_text():
    rendered = render_markdown("## Comments\n\n## 音楽\n\n## !!!\n\n## FN1")

    assert [h.id for h in rendered.headings] == [
        "comments-2",
        "音楽",
        "section",
        "fn1-2",
    ]


def test_strikethrough():
    assert render_markdown("~~out of print~~").html == "<p><s>out of print</s></p>\n"


def test_external_links_get_noopener_and_site_links_do_not(settings):
    settings.SITE_URL = "https://reviews.example"

    html = render_markdown(
        "[Studio](https://studio.example/) [Home](https://reviews.example/about/)"
        " [Page](/about/) [Mail](mailto:a@b.example)"
    ).html

    assert html == (
        '<p><a href="https://studio.example/" rel="noopener">Studio</a> '
        '<a href="https://reviews.example/about/">Home</a> '
        '<a href="/about/">Page</a> <a href="mailto:a@b.example">Mail</a></p>\n'
    )


def test_raw_html_is_allowed_in_posts_but_sanitised():
    html = render_markdown(
        '<aside onclick="x()">An <abbr title="Original video animation">OVA</abbr>'
        ' <span style="color:red">note</span></aside>'
    ).html

    assert html == (
        'An <abbr title="Original video animation">OVA</abbr> <span>note</span>'
    )


def test_plain_text_is_the_readable_text():
    rendered = render_markdown(
        "# Memories (1995)\n\nThree *segments*,\nthree directors.\n\n"
        "- Magnetic Rose\n- Stink Bomb\n\n> Quoted &amp; kept.\n\n"
        "https://youtu.be/dQw4w9WgXcQ"
    )

    assert rendered.plain_text == (
        "Memories (1995) Three segments, three directors. Magnetic Rose Stink Bomb"
        " Quoted & kept."
    )


def test_empty_source_renders_nothing():
    rendered = render_markdown("")

    assert (rendered.html, rendered.plain_text, rendered.images) == ("", "", [])


def test_malformed_urls_render_without_errors():
    rendered = render_markdown(
        "[broken](http://[oops)\n\nhttps://[youtube.com/watch?v=dQw4w9WgXcQ\n\n"
        '<blockquote cite="http://[oops">q</blockquote>'
    )

    assert rendered.html == (
        '<p><a rel="noopener">broken</a></p>\n'
        "<p>https://[youtube.com/watch?v=dQw4w9WgXcQ</p>\n<blockquote>q</blockquote>"
    )
