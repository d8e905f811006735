"""Content conversion, attachments from --media and from fetch-media."""

from __future__ import annotations

import http.server
import threading
from functools import partial
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from afterword.media.models import Image
from afterword.portability.importers.content import convert_comment, convert_post
from afterword.portability.models import ImportRecord
from afterword.posts.models import Post

from .conftest import site_counts
from .wxrfiles import comment, item, wxr

CAPTIONED = (
    'Before the still.\n\n[caption id="attachment_7" align="aligncenter" width="300"]'
    '<a href="{base}/wp-content/uploads/2024/05/still.jpg"><img src="{base}/wp-content/'
    'uploads/2024/05/still-300x200.jpg" alt="A tank on ice" width="300" /></a> The'
    " opening shot of <em>Cannon Fodder</em>.[/caption]\n\nAfter it."
)


def jpeg_bytes() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (640, 400), (90, 120, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def write_export(tmp_path, base: str, *, extra: str = "") -> object:
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            item(
                7,
                "still",
                post_type="attachment",
                status="inherit",
                attachment_url=f"{base}/wp-content/uploads/2024/05/still.jpg",
                meta={"_wp_attachment_image_alt": "A tank on ice"},
            ),
            item(
                10,
                "Memories, revisited",
                content=CAPTIONED.format(base=base),
                link=f"{base}/2019/04/02/memories-revisited/",
                slug="memories-revisited",
                meta={"_thumbnail_id": "7"},
                comments=comment(1, 0, "Ann", "First!")
                + comment(2, 1, "Bob", "Reply to <strong>Ann</strong>"),
            ),
            extra,
            base=base,
        )
    )
    return path


def test_classic_html_becomes_paragraphs_figures_and_video_lines():
    converted = convert_post(
        "One *literal* star\nsecond line\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n"
        '[caption width="10"]<img src="/a.png" alt="">A caption[/caption]'
        '\n\n<!--more-->\n\n[gallery ids="1,2"] and [sic] text'
    )
    assert converted.body.startswith("<p>One *literal* star<br>\nsecond line</p>")
    assert "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n" in converted.body
    assert "![A caption](/a.png)\nA caption" in converted.body
    assert converted.lead == "One *literal* star second line"
    assert converted.shortcodes == ["gallery"]
    assert converted.warnings == ["Image /a.png had no alt text; used 'A caption'."]


def test_gutenberg_blocks_become_markdown_or_clean_html():
    converted = convert_post(
        "<!-- wp:heading -->\n<h2>Score</h2>\n<!-- /wp:heading -->\n\n"
        '<!-- wp:image {"id":3} -->\n<figure class="wp-block-image"><img src="/b.png"'
        ' alt="Poster"/><figcaption>The poster</figcaption></figure>\n'
        "<!-- /wp:image -->\n\n"
        '<!-- wp:embed {"url":"https://vimeo.com/76979871"} -->\n<figure><div>\n'
        "https://vimeo.com/76979871\n</div></figure>\n<!-- /wp:embed -->\n\n"
        '<!-- wp:separator -->\n<hr class="wp-block-separator"/>\n'
        "<!-- /wp:separator -->"
    )
    assert converted.body == (
        "<h2>Score</h2>\n\n![Poster](/b.png)\nThe poster\n\n"
        'https://vimeo.com/76979871\n\n<hr class="wp-block-separator"/>'
    )


def test_comment_html_becomes_comment_markdown():
    assert (
        convert_comment(
            'Nice <em>review</em>, see <a href="https://e.example/x">this</a>'
            "<blockquote>quoted</blockquote>"
        )
        == "Nice *review*, see [this](https://e.example/x)\n\n> quoted"
    )


@pytest.mark.django_db
def test_media_folder_attachments_become_library_images_used_by_posts(tmp_path):
    base = "https://old.example"
    media = tmp_path / "uploads"
    (media / "2024" / "05").mkdir(parents=True)
    (media / "2024" / "05" / "still.jpg").write_bytes(jpeg_bytes())

    call_command(
        "import_wxr",
        str(write_export(tmp_path, base)),
        "--media",
        str(media),
        stdout=StringIO(),
    )

    image = Image.objects.get()
    assert image.alt_text == "A tank on ice"
    post = Post.objects.get(title="Memories, revisited")
    assert post.status == Post.Status.PUBLISHED
    assert post.featured_image == image
    assert "old.example" not in post.body
    assert f'<img src="{image.file.url}"' in post.body_html
    assert "<figcaption>The opening shot of <em>Cannon Fodder</em>.</figcaption>" in (
        post.body_html
    )
    reply = post.comments.get(author_name="Bob")
    assert reply.parent.author_name == "Ann"
    assert reply.body == "Reply to **Ann**"
    assert str(reply.ip_address) == "192.0.2.2"


@pytest.fixture
def file_server(tmp_path, settings):
    root = tmp_path / "www"
    (root / "wp-content" / "uploads" / "2024" / "05").mkdir(parents=True)
    (root / "wp-content" / "uploads" / "2024" / "05" / "still.jpg").write_bytes(
        jpeg_bytes()
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AFTERWORD_OUTBOUND_ALLOW = [f"127.0.0.1:{server.server_address[1]}"]
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_fetch_media_downloads_recorded_originals_and_refuses_other_schemes(
    tmp_path, file_server
):
    hostile = item(
        8,
        "passwords",
        post_type="attachment",
        status="inherit",
        attachment_url="file:///etc/passwd.jpg",
    )
    call_command(
        "import_wxr",
        str(write_export(tmp_path, file_server, extra=hostile)),
        stdout=StringIO(),
    )
    post = Post.objects.get(title="Memories, revisited")
    assert post.featured_image is None
    assert f"{file_server}/wp-content/uploads/2024/05/still-300x200.jpg" in post.body
    assert Image.objects.count() == 0

    out = StringIO()
    call_command("fetch_media", stdout=out)

    assert "Fetched 1 files; updated 1 posts." in out.getvalue()
    assert "file:///etc/passwd.jpg is not an http(s) address; refused." in (
        out.getvalue()
    )
    image = Image.objects.get()
    post.refresh_from_db()
    assert post.featured_image == image
    assert file_server not in post.body
    assert f'<img src="{image.file.url}"' in post.body_html
    record = ImportRecord.objects.get(kind="attachment", source_id="7")
    assert record.object_id == image.pk


@pytest.mark.django_db
def test_fetch_media_refuses_an_attachment_redirected_to_a_private_address(
    tmp_path,
    settings,
    peers,
):
    old_site, internal = peers(), peers()  # only the old site may be reached
    settings.AFTERWORD_OUTBOUND_ALLOW = [old_site.host]
    internal.answer("/x.jpg", jpeg_bytes(), **{"Content-Type": "image/jpeg"})
    original = f"{old_site.url}/wp-content/uploads/2024/05/still.jpg"
    old_site.redirect("/wp-content/uploads/2024/05/still.jpg", f"{internal.url}/x.jpg")
    call_command(
        "import_wxr", str(write_export(tmp_path, old_site.url)), stdout=StringIO()
    )
    post = Post.objects.get(title="Memories, revisited")
    before = site_counts()

    out = StringIO()
    call_command("fetch_media", stdout=out)

    assert "Fetched 0 files; updated 0 posts." in out.getvalue()
    assert (
        f"  - not fetched: {original}: 127.0.0.1 is not on the public internet;"
        in out.getvalue()
    )
    assert internal.received == []
    assert site_counts() == before
    assert ImportRecord.objects.get(kind="attachment", source_id="7").object_id is None
    assert Post.objects.get(pk=post.pk).body == post.body
