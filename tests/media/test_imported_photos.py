"""Photos brought in by the WordPress importer lose their camera data too."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from afterword.media.models import Image
from afterword.posts.models import Post
from tests.portability.wxrfiles import item, wxr

from .images import camera_data_in, gps_jpeg

pytestmark = pytest.mark.django_db


def test_an_imported_attachment_is_stored_without_camera_data(tmp_path):
    base = "https://old.example"
    uploads = tmp_path / "uploads" / "2024" / "05"
    uploads.mkdir(parents=True)
    (uploads / "balcony.jpg").write_bytes(gps_jpeg(size=(600, 800)))
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            item(
                7,
                "balcony",
                post_type="attachment",
                status="inherit",
                attachment_url=f"{base}/wp-content/uploads/2024/05/balcony.jpg",
                meta={"_wp_attachment_image_alt": "A balcony over a street"},
            ),
            item(
                10,
                "Where it was filmed",
                content=f'<img src="{base}/wp-content/uploads/2024/05/balcony.jpg" '
                'alt="A balcony over a street">',
                slug="where-it-was-filmed",
                meta={"_thumbnail_id": "7"},
            ),
            base=base,
        )
    )

    call_command(
        "import_wxr",
        str(export),
        "--media",
        str(tmp_path / "uploads"),
        stdout=StringIO(),
    )

    image = Image.objects.get()
    assert Post.objects.get(slug="where-it-was-filmed").featured_image == image
    with default_storage.open(image.file.name) as stored:
        assert camera_data_in(stored.read()) == []
    assert (image.width, image.height) == (800, 600)
