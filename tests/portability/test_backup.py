"""``afterword export`` then ``afterword restore`` into an empty site: identical."""

from __future__ import annotations

import json
import re
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from afterword.media.models import Image
from afterword.media.services import ingest_upload
from afterword.portability import journal
from afterword.portability.exporters.backup import dump_rows
from afterword.posts.models import Post

from .conftest import site_counts
from .test_content_and_media import jpeg_bytes

NONCE = re.compile(r'(nonce|value)="[^"]*"')


def dump() -> list:
    out = StringIO()
    dump_rows(out)
    return sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], str(r["pk"])))


def pages(client, urls) -> list[str]:
    return [NONCE.sub("", client.get(url).content.decode()) for url in urls]


@pytest.mark.django_db(transaction=True)
def test_export_then_restore_into_an_empty_site_is_identical(tmp_path, wxr_dir, client):
    call_command("import_wxr", str(wxr_dir / "small-export.xml"), stdout=StringIO())
    image = ingest_upload(
        ContentFile(jpeg_bytes(), name="still.jpg"), alt_text="A still"
    )
    post = Post.objects.posts().filter(status="published").first()
    urls = ["/", post.get_absolute_url(), "/feed/atom/"]
    # Pages first: reading them counts views and a feed fetch (stats), rows
    # the archive must hold too.
    before_pages = pages(client, urls)
    before = dump()
    ours = [image.file.name, *image.renditions.values_list("file", flat=True)]
    # Every file under the media folder goes in (earlier tests may have left some).
    root = Path(settings.MEDIA_ROOT)
    media_files = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    )
    assert set(ours) <= set(media_files)
    # What was stored (re-encoded without camera data), not what was uploaded.
    stored = (root / image.file.name).read_bytes()

    archive = tmp_path / "site.zip"
    call_command("export", str(archive), stdout=StringIO())
    with zipfile.ZipFile(archive) as packed:
        manifest = json.loads(packed.read("manifest.json"))
        names = packed.namelist()
    assert manifest["format_version"] == 1
    assert manifest["app_version"] == "0.1.0"
    assert manifest["counts"]["posts.post"] == Post.objects.count()
    assert (
        sorted(n.removeprefix("media/") for n in names if n.startswith("media/"))
        == media_files
    )

    call_command("flush", interactive=False, verbosity=0)
    storage = Image._meta.get_field("file").storage
    for name in media_files:
        storage.delete(name)
    assert Post.objects.count() == 0

    out = StringIO()
    call_command("restore", str(archive), stdout=out)

    assert dump() == before
    assert pages(client, urls) == before_pages
    assert all(storage.exists(name) for name in media_files)
    assert storage.open(image.file.name).read() == stored
    # Fixtures load without model signals: the next static build is told
    # to start over (portability.journal).
    assert journal.since(0).everything


@pytest.mark.django_db
def test_restore_refuses_a_site_that_is_not_empty(tmp_path, wxr_dir):
    call_command("import_wxr", str(wxr_dir / "wxr-simple.xml"), stdout=StringIO())
    archive = tmp_path / "site.zip"
    call_command("export", str(archive), stdout=StringIO())
    before = site_counts()
    with pytest.raises(CommandError, match="This site is not empty"):
        call_command("restore", str(archive), stdout=StringIO())
    assert site_counts() == before


@pytest.mark.django_db
def test_restore_refuses_archives_it_cannot_read(tmp_path):
    not_zip = tmp_path / "a.zip"
    not_zip.write_text("hello")
    with pytest.raises(CommandError, match="is not a zip archive"):
        call_command("restore", str(not_zip))
    no_manifest = tmp_path / "b.zip"
    with zipfile.ZipFile(no_manifest, "w") as packed:
        packed.writestr("data.json", "[]")
    with pytest.raises(CommandError, match="not an Afterword backup"):
        call_command("restore", str(no_manifest))
    future = tmp_path / "c.zip"
    with zipfile.ZipFile(future, "w") as packed:
        packed.writestr("manifest.json", json.dumps({"format_version": 99}))
    with pytest.raises(CommandError, match="backup format 99"):
        call_command("restore", str(future))
    assert Post.objects.count() == 0
