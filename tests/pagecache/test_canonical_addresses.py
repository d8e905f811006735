"""Only canonical addresses are stored, so invented ones cannot fill the cache.

Issue 11: ``?page=02``, ``?page=+2``, ``/comments/avatar/<anything>.svg`` ...
were each stored as an entry of their own, and a loop of unique addresses
pushed the pages, fragments and threads readers need out of the cache.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from afterword.catalog.actions import save_catalog_object
from afterword.catalog.models import Work
from afterword.discussion.actions import render_body
from afterword.discussion.models import Comment
from afterword.pagecache.state import read_state

# How many invented spellings each family of the loop below tries.
N = 25


def entries() -> set[str]:
    """The shared cache's keys under the current content version (pages and
    fragments carry it in their key)."""
    cache = caches["default"]
    version = read_state(cache).version
    if isinstance(cache, LocMemCache):
        keys = {str(key) for key in cache._cache}
    elif isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        keys = {k.decode() for k in client.scan_iter(match=f"{cache.key_prefix}:*")}
    else:
        pytest.skip(f"cannot list the keys of {type(cache).__name__}")
    return {key for key in keys if version in key}


@pytest.fixture
def own_keys(settings):
    """On Redis, a key prefix of this test's own: the test processes share
    the database (and so the content version), and would count each other's
    entries."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith("RedisCache"):
        yield
        return
    prefix = f"afterword-test-{uuid.uuid4().hex[:10]}"
    settings.CACHES = {"default": {**config, "KEY_PREFIX": prefix}}
    yield
    caches["default"].clear()


@pytest.fixture
def site(own_keys, post_factory, settings, writer):
    """Five posts by one writer (three home pages, two author pages), a
    comment with a locally drawn avatar, and a catalog work."""
    settings.AFTERWORD_PAGE_SIZE = 2
    settings.AFTERWORD_FRAGMENT_CACHE = True
    now = timezone.now()
    posts = [
        post_factory(
            author=writer,
            title=f"Review {i}",
            slug=f"review-{i}",
            published_at=now - timedelta(days=i + 1),
        )
        for i in range(5)
    ]
    comment = Comment.objects.create(
        post=posts[0],
        author_name="Reader",
        author_email="reader@example.test",
        body="Seen it twice.",
        body_html=render_body("Seen it twice."),
        status=Comment.Status.APPROVED,
    )
    work = save_catalog_object(Work(title="Stalker", slug="stalker", year=1979))
    return {"posts": posts, "comment": comment, "work": work}


CANONICAL = [
    "/",
    "/page/2/",
    "/page/3/",
    "/?page=2",
    "/author/writer/",
    "/author/writer/?page=2",
    # Also asked as ?page=last: the listing's cards are kept under the
    # page's own address, so the alias adds no entry of its own.
    "/author/writer/?page=3",
    "/feed/",
    "/catalog/works/stalker/",
]


def invented_addresses(post_url: str, avatar_url: str) -> list[tuple[str, dict]]:
    """(address, extra request headers) pairs a visitor could make up."""
    found: list[tuple[str, dict]] = []
    for query in [
        "page=02",
        "page=+2",
        "page=%32",
        "page=2&page=2",
        "page=2.0",
        "page=last",
        "page=1",
        "page=0",
        "page=",
        "page=2&utm_source=x",
        "page=%EF%BC%92",  # a full-width 2
    ]:
        found.append((f"/?{query}", {}))
        found.append((f"/author/writer/?{query}", {}))
    for n in range(2, N + 2):
        found.append((f"/page/{'0' * (n - 1)}2/", {}))  # /page/02/, /page/002/ ...
        found.append((f"{post_url}?page={n}", {}))  # a post ignores ?page
        found.append((f"/feed/?page={n}", {}))
        found.append((f"/catalog/works/stalker/?page={1000 + n}", {}))  # past the end
        found.append((f"/author/writer/?page={n + 2}", {}))  # 404 past page 3
        digest = hashlib.sha256(f"invented {n}".encode()).hexdigest()[:32]
        found.append((f"/comments/avatar/{digest}.svg", {}))
        found.append((f"/comments/avatar/{digest}x.svg", {}))
        found.append((f"/comments/avatar/anything-{n}.svg", {}))
        found.append(("/", {"host": f"testserver:{8000 + n}"}))
    year = post_url.split("/")[1]
    found.append((post_url.replace(f"/{year}/", f"/0{year}/", 1), {}))
    found.append((avatar_url, {}))
    for host in ["TestServer", "testserver.", "TESTSERVER:80"]:
        found.append(("/", {"host": host}))
    return found


def test_a_loop_of_invented_addresses_adds_no_cache_entry(client, site):
    post_url = site["posts"][0].get_absolute_url()
    thread = client.get(post_url).content.decode()
    avatar_url = f"/comments/avatar/{site['comment'].identity_hash}.svg"
    assert avatar_url in thread
    for url in CANONICAL:
        first = client.get(url)
        assert (first.status_code, first["X-Page-Cache"]) == (200, "miss"), url
    before = entries()

    invented = invented_addresses(post_url, avatar_url)
    answers = [client.get(url, headers=headers) for url, headers in invented]

    added = entries() - before
    print(
        f"{len(invented)} invented addresses, {len(added)} cache entries added;"
        f" {len(before)} entries for {len(CANONICAL) + 1} canonical pages"
    )
    assert sorted(added) == []
    stored = [
        (url, headers)
        for (url, headers), answer in zip(invented, answers, strict=True)
        if answer.has_header("X-Page-Cache")
    ]
    assert stored == []
    # Aliases are still answered (rendered each time), as before.
    assert client.get("/page/02/").status_code == 200
    assert client.get(f"{post_url}?page=7").status_code == 200
    # The canonical pages stayed stored.
    for url in [*CANONICAL, post_url]:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_avatars_answer_only_for_digests_the_site_writes(client, site):
    digest = site["comment"].identity_hash
    response = client.get(f"/comments/avatar/{digest}.svg")
    assert response.status_code == 200
    assert response.content.startswith(b"<svg")
    assert "immutable" in response["Cache-Control"]
    assert not response.has_header("X-Page-Cache")
    for name in [
        digest[:-1],
        digest + "0",
        digest.upper(),
        f"{digest[:-1]}g",
        "anything",
        "../../etc/passwd",
    ]:
        assert client.get(f"/comments/avatar/{name}.svg").status_code == 404, name


def test_the_page_number_must_be_the_page_shown(client, site):
    """?page=N is stored only when the view rendered page N of a paginator."""
    assert client.get("/author/writer/?page=2")["X-Page-Cache"] == "miss"
    assert client.get("/author/writer/?page=4").status_code == 404
    # The work page shows its one page of posts for any number it is given.
    work_page = client.get("/catalog/works/stalker/?page=5")
    assert work_page.status_code == 200
    assert not work_page.has_header("X-Page-Cache")


def test_a_page_on_the_servers_own_port_is_stored(client, site):
    """``afterword serve`` without nginx: Host carries the listening port."""
    response = client.get("/", headers={"host": "testserver:8000"}, SERVER_PORT="8000")
    assert response["X-Page-Cache"] == "miss"
    again = client.get("/", headers={"host": "testserver:8000"}, SERVER_PORT="8000")
    assert again["X-Page-Cache"] == "hit"


def test_page_files_are_written_for_canonical_addresses_only(
    client, site, settings, tmp_path
):
    pages = tmp_path / "pages"
    settings.AFTERWORD_PAGE_CACHE_DIR = str(pages)
    client.get("/page/2/")
    client.get("/page/02/")
    client.get("/page/0002/")
    client.get("/", headers={"host": "TestServer."})
    written = sorted(
        p.relative_to(pages).as_posix().split("/", 1)[1]
        for p in pages.rglob("index.html")
    )
    assert written == ["testserver/page/2/index.html"]


def test_the_site_writes_no_address_the_cache_would_refuse(client, site):
    """Every internal link of the canonical pages is itself storable."""
    import re

    links = set()
    for url in CANONICAL:
        html = client.get(url).content.decode()
        links.update(re.findall(r'href="(/(?!static/|media/)[^"#]*)"', html))
    links.discard("/search/")
    refused = []
    for link in sorted(links):
        response = client.get(link.replace("&amp;", "&"))
        if response.status_code == 200 and not response.has_header("X-Page-Cache"):
            refused.append(link)
    assert refused == []
    assert len(links) > 10
