"""What the external corpora found, each kept as a small test of its own.

These need no download: the inputs are written here, shaped like the
corpus case that showed the problem, so they run in every test run.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from afterword.core.markdown import render_markdown
from afterword.core.middleware import NUL_MESSAGE
from afterword.core.sanitize import clean_html
from afterword.media.models import Image
from afterword.media.services import NOT_AN_IMAGE

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


def test_a_lead_figure_cut_from_nested_figures_is_closed_before_the_listing(
    post_factory, writer, client
):
    """Found by html5lib's ``blocks.dat`` as a post body: the lead figure was
    cut from the body's HTML at the first ``</figure>``, and a figure written
    in raw HTML around another left the cut open. Listings print it as is,
    so the cards after it ended up inside the figure. Lead figures now come
    from the Markdown's own figures (a hand-written one never leads), and
    whatever is stored is whole.
    """
    body = (
        "<figure>Outer words\n<figure><p>inner words</p></figure>\n"
        "closing words</figure>\n\nAfter the figures."
    )
    post = post_factory(author=writer, slug="nested-figures", body=body)

    lead = post.lead_figure_html
    assert lead.count("<figure") == lead.count("</figure>")
    assert clean_html(lead) == lead
    listing = client.get("/").content.decode()
    assert listing.count("<figure") == listing.count("</figure>")


def test_an_image_a_decoder_chokes_on_is_refused_with_a_message(
    client, writer, settings, tmp_path
):
    """Found by Pillow's ``unimplemented_*.dds`` test images: every format
    plugin Pillow has was tried on an upload, and the DirectDraw one raised
    NotImplementedError, which became a server error. Only the four formats
    the library accepts are decoded now, and any decoder failure is a
    refusal.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(writer)
    # A DirectDraw Surface header whose pixel format names nothing known.
    header = b"DDS " + (124).to_bytes(4, "little") + bytes(120)
    upload = SimpleUploadedFile("texture.dds", header, "image/x-dds")

    response = client.post(reverse("admin:media_image_upload"), {"file": upload})

    assert response.status_code == 400
    assert response.json() == {"error": NOT_AN_IMAGE}
    assert Image.objects.count() == 0
    assert not any(p.is_file() for p in (tmp_path / "media").rglob("*"))


@pytest.mark.parametrize(
    "address",
    ["/2024/%00/", "/author/%00/", "/tag/%00/", "/no%00where/", "/author/a%00b/"],
)
def test_an_address_with_a_nul_character_is_refused_not_a_server_error(client, address):
    """Found by sending NUL among the naughty strings, on PostgreSQL: the
    lookups an address leads to (an author by name, the old-permalink
    redirect tried on every 404) reached the database with a NUL, which
    PostgreSQL refuses, and the reader got a server error.
    """
    client.raise_request_exception = False

    response = client.get(address)

    assert response.status_code == 400
    assert response.content.decode() == NUL_MESSAGE
