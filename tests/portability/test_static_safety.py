"""The static build writes and deletes only inside its output folder (issue 11).

Its manifest lists the files the last build wrote, to delete those the next
build no longer makes; a tampered or stale manifest (``../``, an absolute
path, a folder that is now a symbolic link) deleted files elsewhere. Links
found in pages became paths too.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from afterword.portability.buildstate import MANIFEST
from afterword.portability.outfolder import OutputFolder


def build(outdir: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("build", str(outdir), "--workers", "1", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def built(post_factory, tmp_path, settings):
    """A small site built once into ``tmp_path/site/public``."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    post_factory(title="Solaris", slug="solaris")
    outdir = tmp_path / "site" / "public"
    build(outdir)
    return outdir


def add_to_manifest(outdir: Path, *names: str) -> None:
    with closing(sqlite3.connect(outdir / MANIFEST)) as record, record:
        record.executemany("INSERT INTO files (name) VALUES (?)", [(n,) for n in names])


def files_in_manifest(outdir: Path) -> list[str]:
    with closing(sqlite3.connect(outdir / MANIFEST)) as record:
        return [name for (name,) in record.execute("SELECT name FROM files")]


def test_a_tampered_manifest_deletes_nothing_outside_the_output_folder(
    built, tmp_path, post_factory
):
    outside = built.parent / "outside.txt"
    outside.write_text("the writer's notes")
    absolute = tmp_path / "absolute.txt"
    absolute.write_text("elsewhere on the disk")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("behind a link")
    (built / "linked").symlink_to(elsewhere, target_is_directory=True)
    stale = built / "old-page" / "index.html"
    stale.parent.mkdir()
    stale.write_text("a page the site no longer has")
    refused = ["../outside.txt", str(absolute), "linked/victim.txt"]
    add_to_manifest(built, *refused, "old-page/index.html")
    # A new post: the next build starts over, and removes what the last one
    # wrote that it does not write again.
    post_factory(title="Stalker", slug="stalker")

    summary, warnings = build(built)

    assert outside.read_text() == "the writer's notes"
    assert absolute.read_text() == "elsewhere on the disk"
    assert (elsewhere / "victim.txt").read_text() == "behind a link"
    # A stale file inside the folder is still removed, as before.
    assert not stale.exists()
    assert "1 removed" in summary
    assert f"Refused 3 paths outside {built}" in warnings
    for name in refused:
        assert name in warnings
    # The next manifest no longer carries them.
    files = files_in_manifest(built)
    assert not [name for name in files if name.startswith(("../", "/", "linked/"))]


def test_a_link_in_a_post_cannot_make_the_build_write_outside_the_folder(
    post_factory, tmp_path, settings
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    post_factory(
        title="Escape",
        slug="escape",
        body="[Read on](/about/?page=../../../escaped/) and [this](/escape-2/?page=2).",
    )
    post_factory(title="About", slug="about", kind="page")
    outdir = tmp_path / "deep" / "site" / "public"

    build(outdir)

    assert not (tmp_path / "deep" / "escaped").exists()
    assert not (tmp_path / "deep" / "site" / "escaped").exists()
    assert not list(tmp_path.rglob("escaped"))
    assert (outdir / "about" / "index.html").is_file()


def test_a_symlinked_folder_in_the_output_is_not_written_through(built, tmp_path):
    """Say the media folder was linked in to save space: nothing lands there."""
    elsewhere = tmp_path / "real-media"
    elsewhere.mkdir()
    static = built / "static"
    for path in sorted(static.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    static.rmdir()
    static.symlink_to(elsewhere, target_is_directory=True)

    _, warnings = build(built)

    assert list(elsewhere.iterdir()) == []
    assert "Refused" in warnings and "static/" in warnings


def test_clean_refuses_a_folder_no_build_wrote(db, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "afterword.sqlite3").write_bytes(b"precious")

    with pytest.raises(CommandError, match="has no .afterword-build.sqlite3"):
        build(data, "--clean")

    assert (data / "afterword.sqlite3").read_bytes() == b"precious"


def test_clean_empties_a_build_made_by_an_earlier_version(db, tmp_path):
    """Versions before the SQLite record wrote a JSON manifest."""
    older = tmp_path / "public"
    older.mkdir()
    (older / ".afterword-build.json").write_text('{"format": 4, "files": []}')
    (older / "index.html").write_text("an older build")
    build(older, "--clean")
    assert (older / MANIFEST).is_file()
    assert not (older / ".afterword-build.json").exists()


def test_clean_empties_an_earlier_build(built):
    (built / "left-over.html").write_text("old")
    build(built, "--clean")
    assert not (built / "left-over.html").exists()
    assert (built / "index.html").is_file()


@pytest.mark.parametrize(
    "relative",
    ["../x", "/etc/passwd", "a/../../x", "a\\..\\x", "a/\x00", "", "a/../b"],
)
def test_paths_that_leave_the_folder_are_refused(tmp_path, relative):
    assert OutputFolder(tmp_path).path_for(relative) is None


def test_paths_inside_the_folder_are_kept(tmp_path):
    folder = OutputFolder(tmp_path)
    assert folder.path_for("a/b/index.html") == str(tmp_path / "a/b/index.html")
    assert folder.path_for("index.html") == str(tmp_path / "index.html")


def test_a_folder_below_a_link_that_leaves_is_refused_however_deep(tmp_path):
    root, outside = tmp_path / "public", tmp_path / "outside"
    root.mkdir()
    (outside / "b" / "c").mkdir(parents=True)
    (root / "a").symlink_to(outside, target_is_directory=True)
    folder = OutputFolder(root)

    assert folder.path_for("index.html") is not None
    assert folder.path_for("a/b/c/index.html") is None
    # Asked again, once its parents were looked at: still refused.
    assert folder.path_for("a/b/index.html") is None


def test_a_link_to_a_folder_inside_is_followed(tmp_path):
    root = tmp_path / "public"
    (root / "real" / "b").mkdir(parents=True)
    (root / "alias").symlink_to(root / "real", target_is_directory=True)

    path = OutputFolder(root).path_for("alias/b/index.html")

    assert path == str(root / "alias" / "b" / "index.html")


def test_a_path_thousands_of_folders_deep_is_checked(tmp_path):
    """A link in a post can name any path: the check does not recurse."""
    relative = "a/" * 5_000 + "index.html"
    assert OutputFolder(tmp_path).path_for(relative) == str(tmp_path / relative)
