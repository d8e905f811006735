"""A restore that fails leaves the site exactly as it was (issue 11).

Each test exports a real site (posts, comments, an uploaded image), empties
it, damages the archive one way, runs ``afterword restore``, and compares
every row and every media file with what was there before; then restores a
good copy of the same archive to show the site still can be restored.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from afterword.discussion.actions import add_comment
from afterword.media.services import ingest_upload
from afterword.posts.models import Post

from .conftest import site_counts
from .test_backup import dump
from .test_content_and_media import jpeg_bytes


def media_tree() -> dict[str, str]:
    """Every file and folder under the media folder, files with a digest."""
    root = Path(django_settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "/"
        )
        for path in sorted(root.rglob("*"))
    }


@pytest.fixture
def exported(transactional_db, post_factory, writer, tmp_path, settings):
    """An archive of a small site, and the site emptied as for a restore.

    Returns the archive and the site's rows as they were when exported. The
    media folder is the test's own (the test processes share the default).
    """
    settings.MEDIA_ROOT = str(tmp_path / "media")
    root = Path(settings.MEDIA_ROOT)
    image = ingest_upload(
        ContentFile(jpeg_bytes(), name="still.jpg"), alt_text="A still"
    )
    posts = [
        post_factory(author=writer, title=f"Review {n}", slug=f"review-{n}")
        for n in range(3)
    ]
    add_comment(posts[0], name="Ann", email="ann@example.test", body="Loved it.")
    add_comment(posts[1], name="Bob", email="bob@example.test", body="Not for me.")
    # The last media file in the archive: a test below blocks its folder.
    (root / "zz-notes").mkdir(parents=True, exist_ok=True)
    (root / "zz-notes" / "credits.txt").write_text("Stills courtesy of the studio.")
    rows = dump()
    archive = tmp_path / "site.zip"
    call_command("export", str(archive), stdout=StringIO())

    call_command("flush", interactive=False, verbosity=0)
    with zipfile.ZipFile(archive) as packed:
        for name in packed.namelist():
            if name.startswith("media/"):
                (root / name.removeprefix("media/")).unlink(missing_ok=True)
    (root / "zz-notes").rmdir()
    assert Post.objects.count() == 0
    assert image.file.name in {n.removeprefix("media/") for n in names(archive)}
    return archive, rows


def names(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as packed:
        return packed.namelist()


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` with ``change(name, data)`` applied to each member."""
    with (
        zipfile.ZipFile(archive) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                out.writestr(info.filename, data)
    return target


def damaged_member(archive: Path, target: Path, member: str) -> Path:
    """A copy of ``archive`` with bytes in the middle of ``member`` overwritten,
    as a bad disk or an interrupted copy would leave them."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as packed:
        info = packed.getinfo(member)
    # The member's data starts after its local header (30 bytes + name + extra).
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = b"\x00" * 16
    target.write_bytes(bytes(data))
    return target


def restore(archive: Path) -> str:
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    return out.getvalue()


def assert_refused_and_unchanged(archive: Path, message: str) -> None:
    rows, counts, files = dump(), site_counts(), media_tree()
    with pytest.raises(CommandError, match=message):
        restore(archive)
    assert site_counts() == counts
    assert dump() == rows
    assert media_tree() == files


def assert_good_archive_restores(archive: Path, rows: list) -> None:
    summary = restore(archive)
    assert "Restored" in summary
    assert dump() == rows
    assert Post.objects.count() == 3


def test_an_archive_cut_short_in_its_database_dump_changes_nothing(exported, tmp_path):
    archive, rows = exported

    def cut(name, data):
        return data[: len(data) // 2] if name == "data.json" else data

    cut_short = rewritten(archive, tmp_path / "cut.zip", cut)
    assert_refused_and_unchanged(cut_short, "data.json is not complete JSON")
    damaged = damaged_member(archive, tmp_path / "damaged.zip", "data.json")
    # A bad checksum or a garbled stream, depending on the bytes hit.
    assert_refused_and_unchanged(damaged, "archive is damaged")
    # A zip cut short loses its directory: not even opened.
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_refused_and_unchanged(truncated, "is not a zip archive")

    assert_good_archive_restores(archive, rows)


def test_an_archive_with_broken_media_changes_nothing(exported, tmp_path):
    archive, rows = exported
    image = next(n for n in names(archive) if n.endswith(".jpg"))

    broken = damaged_member(archive, tmp_path / "broken.zip", image)
    assert_refused_and_unchanged(broken, "archive is damaged")

    def missing_rows(name, data):
        if name != "data.json":
            return data
        loaded = json.loads(data)
        return json.dumps([r for r in loaded if r["model"] != "discussion.comment"])

    short = rewritten(archive, tmp_path / "short.zip", missing_rows)
    assert_refused_and_unchanged(short, r"discussion.comment \(0 of 2\)")

    assert_good_archive_restores(archive, rows)


def test_a_row_the_database_refuses_changes_nothing(exported, tmp_path):
    """The rows load, then one breaks a constraint: no row and no file stays."""
    archive, rows = exported

    def orphan_comment(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["counts"]["discussion.comment"] += 1
            return json.dumps(manifest)
        if name != "data.json":
            return data
        loaded = json.loads(data)
        comment = next(r for r in loaded if r["model"] == "discussion.comment")
        orphan = json.loads(json.dumps(comment))
        orphan["pk"] = 9999
        orphan["fields"]["post"] = 424242
        return json.dumps([*loaded, orphan])

    bad_row = rewritten(archive, tmp_path / "bad-row.zip", orphan_comment)
    assert_refused_and_unchanged(bad_row, "rows could not be loaded")

    assert_good_archive_restores(archive, rows)


def test_media_that_cannot_be_put_in_place_take_the_rows_back_out(exported, tmp_path):
    """The rows are in and most files placed when one file has nowhere to go
    (a file stands where its folder must be): all of it is taken back."""
    archive, rows = exported
    blocker = Path(django_settings.MEDIA_ROOT) / "zz-notes"
    blocker.write_text("a file where the archive needs a folder")

    assert_refused_and_unchanged(archive, "Could not put the media in place")
    assert blocker.read_text() == "a file where the archive needs a folder"

    blocker.unlink()
    assert_good_archive_restores(archive, rows)
    assert (blocker / "credits.txt").read_text() == "Stills courtesy of the studio."


def test_a_different_file_already_in_the_media_folder_is_never_replaced(
    exported, tmp_path
):
    archive, _ = exported
    image = next(n for n in names(archive) if n.endswith(".jpg"))
    mine = Path(django_settings.MEDIA_ROOT) / image.removeprefix("media/")
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_bytes(b"someone else's photo")

    assert_refused_and_unchanged(archive, "already holds different files")
    assert mine.read_bytes() == b"someone else's photo"
