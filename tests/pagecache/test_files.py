"""Page files for nginx: written atomically, in time buckets, removed on change."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from afterword.pagecache import files
from afterword.pagecache.state import ContentState
from afterword.posts.models import Post


@pytest.fixture
def page_dir(settings, tmp_path):
    settings.AFTERWORD_PAGE_CACHE_DIR = str(tmp_path / "pages")
    return tmp_path / "pages"


def written_page(page_dir: Path, path: str) -> Path:
    """The file for ``path`` on the test host, in whichever bucket holds it.

    (Looking in the bucket of "now" would fail the rare test that crosses a
    bucket boundary between writing and looking.)
    """
    segments = [s for s in path.split("/") if s]
    found = sorted(
        page_dir.glob("/".join(["[0-9]*", "testserver", *segments, "index.html"]))
    )
    if found:
        return found[-1]
    bucket = str(files.bucket_of(time.time()))
    return page_dir.joinpath(bucket, "testserver", *segments, "index.html")


def test_cacheable_page_is_written_where_nginx_looks_for_it(
    client, post_factory, page_dir
):
    post = post_factory(title="Akira, forty years on")
    response = client.get(post.get_absolute_url())

    written = written_page(page_dir, post.get_absolute_url())
    assert written.read_bytes() == response.content
    gz = written.with_name("index.html.gz")
    assert gzip.decompress(gz.read_bytes()) == response.content
    assert oct(written.stat().st_mode & 0o777) == "0o644"
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".tmp-")]


def test_home_page_file_is_at_the_host_root(client, post_factory, page_dir):
    post_factory()
    body = client.get("/").content
    assert written_page(page_dir, "/").read_bytes() == body
    assert written_page(page_dir, "/").parent.name == "testserver"


def test_any_change_removes_every_page_file(client, post_factory, page_dir):
    post = post_factory()
    client.get("/")
    client.get(post.get_absolute_url())
    assert written_page(page_dir, "/").exists()

    post_factory(title="A newer review")
    # Only the marker that makes the folder the page cache's own is left.
    assert [p.name for p in page_dir.iterdir()] == [files.MARKER]
    assert "A newer review" in client.get("/").content.decode()
    assert written_page(page_dir, "/").exists()


def test_pages_with_a_query_string_get_no_file(client, post_factory, page_dir):
    post_factory()
    client.get("/?page=1")
    assert not written_page(page_dir, "/").exists()


def test_post_scheduled_after_the_bucket_ends_leaves_files_on(
    client, post_factory, page_dir
):
    post_factory()
    post_factory(
        title="Much later",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=2),
    )
    client.get("/")
    assert written_page(page_dir, "/").exists()


def test_post_scheduled_within_the_bucket_keeps_pages_out_of_files(
    client, post_factory, page_dir
):
    now = time.time()
    bucket_end = (files.bucket_of(now) + 1) * files.BUCKET_SECONDS
    if bucket_end - now < 3:
        time.sleep(bucket_end - now + 0.1)
        bucket_end += files.BUCKET_SECONDS
    halfway = datetime.fromtimestamp((time.time() + bucket_end) / 2, tz=UTC)
    post_factory()
    post_factory(title="Soon", status=Post.Status.SCHEDULED, published_at=halfway)
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert not written_page(page_dir, "/").exists()


def test_may_write_only_when_the_next_schedule_is_after_the_bucket():
    start = 1_800_000_000.0  # a bucket boundary
    state = ContentState("v", start, next_change=start + 999)
    assert not files.may_write(state, start + 10)
    assert not files.may_write(state, start + 999.5)
    later = ContentState("v", start, next_change=start + 1000)
    assert files.may_write(later, start + 10)
    assert files.may_write(ContentState("v", start, None), start)


def test_a_new_bucket_sweeps_the_earlier_ones(client, post_factory, page_dir):
    post_factory()
    stale = page_dir / "1000000" / "testserver" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    client.get("/")
    assert written_page(page_dir, "/").exists()
    assert not stale.exists()


@pytest.mark.parametrize(
    "path",
    ["/../etc/", "/a/./b/", "//x/", "/.hidden/", "/no-slash", "/a\x00b/"],
)
def test_unsafe_paths_never_become_files(path, tmp_path):
    assert files.page_path(tmp_path, 1, "example.org", path) is None


def test_host_port_is_dropped_and_host_lowercased(tmp_path):
    assert files.page_path(tmp_path, 7, "Example.ORG:8000", "/2024/05/x/") == Path(
        tmp_path, "7", "example.org", "2024", "05", "x", "index.html"
    )
    assert files.page_path(tmp_path, 7, ".example.org", "/") is None


def test_a_page_answered_from_the_cache_puts_its_missing_file_back(
    client, post_factory, page_dir
):
    """What happens when nginx moves to a new time bucket and asks the app."""
    post_factory()
    body = client.get("/").content
    written = written_page(page_dir, "/")
    written.unlink()
    written.with_name("index.html.gz").unlink()

    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert written.read_bytes() == body
    assert gzip.decompress(written.with_name("index.html.gz").read_bytes()) == body


def test_a_page_rendered_before_a_change_is_not_left_as_a_file(page_dir, db):
    """The render started under the old version; the change landed before
    its file did. The writer notices and removes its own file."""
    from afterword.pagecache.state import current_state, new_version, shared_cache

    cache = shared_cache()
    rendered_under = current_state(cache)
    new_version(cache)

    now = time.time()
    assert (
        files.write_page("testserver", "/", b"old", rendered_under, cache, now) is None
    )
    assert not written_page(page_dir, "/").exists()
    current = current_state(cache)
    assert files.write_page("testserver", "/", b"new", current, cache, now) is not None
    assert written_page(page_dir, "/").read_bytes() == b"new"
