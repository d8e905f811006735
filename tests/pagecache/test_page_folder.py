"""The page folder is emptied on every change: only ever the page cache's own.

``AFTERWORD_PAGE_CACHE_DIR`` pointed by mistake at the data folder must not
cost the database and the uploads (issue 11).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from afterword.pagecache import files


def fake_data_folder(root: Path) -> dict[Path, bytes]:
    """A folder like AFTERWORD_DATA_DIR: a database, uploads, the secret key."""
    contents = {
        root / "afterword.sqlite3": b"SQLite format 3\x00 not really, but precious",
        root / "media" / "images" / "2024" / "still.jpg": b"\xff\xd8 a photo",
        root / "secret_key": b"do-not-lose-me",
    }
    for path, data in contents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return contents


def test_page_files_pointed_at_the_data_folder_delete_nothing_and_write_nothing(
    client, post_factory, settings, tmp_path, caplog
):
    data = tmp_path / "data"
    kept = fake_data_folder(data)
    settings.AFTERWORD_PAGE_CACHE_DIR = str(data)
    post = post_factory(title="Stalker, slowly")

    with caplog.at_level(logging.ERROR, logger="afterword.pagecache.files"):
        assert client.get("/")["X-Page-Cache"] == "miss"
        client.get(post.get_absolute_url())
        post_factory(title="Solaris, again")  # a change: the files would be cleared
        client.get("/")

    survivors = {path: path.read_bytes() for path in kept if path.exists()}
    assert survivors == kept
    # Nothing was added either: no bucket folder, no marker.
    assert sorted(p.name for p in data.iterdir()) == [
        "afterword.sqlite3",
        "media",
        "secret_key",
    ]
    refusals = [
        r.getMessage() for r in caplog.records if "page files are off" in r.getMessage()
    ]
    assert len(refusals) == 1, refusals
    assert "afterword.sqlite3" in refusals[0] and "media" in refusals[0]
    # The shared cache still serves the page: only the files are off.
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_in_its_own_folder_only_buckets_and_trash_are_ever_removed(
    client, post_factory, settings, tmp_path
):
    pages = tmp_path / "pages"
    settings.AFTERWORD_PAGE_CACHE_DIR = str(pages)
    post_factory()
    client.get("/")
    assert (pages / files.MARKER).is_file()
    # Someone later put things next to the page files, and a link out.
    (pages / "notes.txt").write_text("mine")
    (pages / "2024").mkdir()
    (pages / "2024" / "keep.txt").write_text("a year, not a bucket")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "testserver").mkdir(parents=True)
    (elsewhere / "testserver" / "index.html").write_text("not a page file")
    (pages / "1999999").symlink_to(elsewhere, target_is_directory=True)
    (pages / ".trash-link").symlink_to(elsewhere, target_is_directory=True)

    post_factory(title="A change")

    assert (pages / "notes.txt").read_text() == "mine"
    assert (pages / "2024" / "keep.txt").read_text() == "a year, not a bucket"
    assert (elsewhere / "testserver" / "index.html").read_text() == "not a page file"
    assert (pages / "1999999").is_symlink() and (pages / ".trash-link").is_symlink()
    buckets = [p for p in pages.iterdir() if files.BUCKET_NAME.fullmatch(p.name)]
    assert [p.name for p in buckets] == ["1999999"]  # only the link is left


def test_a_page_folder_from_before_the_marker_is_taken_over(
    client, post_factory, settings, tmp_path
):
    """An upgraded site: buckets and trash, no marker. It is still ours."""
    pages = tmp_path / "pages"
    old_page = pages / "1700000" / "testserver" / "index.html"
    old_page.parent.mkdir(parents=True)
    old_page.write_text("old")
    (pages / ".trash-0123456789ab").mkdir()
    settings.AFTERWORD_PAGE_CACHE_DIR = str(pages)
    post_factory()

    client.get("/")

    assert (pages / files.MARKER).is_file()
    assert not old_page.exists()
    assert not (pages / ".trash-0123456789ab").exists()
    bucket = str(files.bucket_of(time.time()))
    assert (pages / bucket / "testserver" / "index.html").is_file() or any(
        pages.glob("[0-9]*/testserver/index.html")
    )


def test_folder_problem_names_the_folder_and_what_is_in_it(tmp_path):
    assert files.folder_problem(tmp_path / "missing") is None
    (tmp_path / "empty").mkdir()
    assert files.folder_problem(tmp_path / "empty") is None
    (tmp_path / "a-file").write_text("x")
    assert "is not a folder" in files.folder_problem(tmp_path / "a-file")
    fake_data_folder(tmp_path / "data")
    problem = files.folder_problem(tmp_path / "data")
    assert str(tmp_path / "data") in problem
    assert "afterword.sqlite3, media, secret_key" in problem


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_page(url: str, seconds: float = 60) -> int:
    """The status of ``url`` once the server answers at all."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:  # not listening yet, or still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_afterword_serve_says_at_start_that_page_files_are_off(tmp_path):
    """The operator's mistake, run for real: the page folder is the data folder."""
    from tests.setup.test_cli import AFTERWORD, site_environment

    site = tmp_path / "site"
    env = site_environment(site, AFTERWORD_PAGE_CACHE_DIR=str(site))
    migrate = subprocess.run(
        [AFTERWORD, "migrate", "--no-input"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    server = subprocess.Popen(
        [AFTERWORD, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Its own process group, so the server and granian can be stopped together.
        start_new_session=True,
    )
    try:
        # Answering means started (a page needs collected static files, which
        # this bare site has not: robots.txt does not).
        assert wait_for_page(f"http://127.0.0.1:{port}/robots.txt") == 200
    finally:
        server.terminate()
        try:
            output, errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, errors = server.communicate()

    assert "Serving on" in output
    said = errors.splitlines()
    assert said[0].startswith(f"AFTERWORD_PAGE_CACHE_DIR={site} holds files")
    assert "page files are off" in said[0]
    assert (site / "afterword.sqlite3").stat().st_size > 0
    assert (site / "secret_key").is_file()
    assert not (site / files.MARKER).exists()
    assert not [p for p in site.iterdir() if files.BUCKET_NAME.fullmatch(p.name)]
