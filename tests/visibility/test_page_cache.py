"""The page cache never keeps a private page or a protected post's text, and
forgets a post's page when the post turns private."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from afterword.posts.models import Post
from afterword.posts.visibility import UNLOCK_COOKIE
from tests import factories

from .conftest import PASSWORD, SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings, tmp_path):
    """The page cache, the fragments and nginx's page files all on."""
    settings.AFTERWORD_PAGE_CACHE = True
    settings.AFTERWORD_FRAGMENT_CACHE = True
    settings.AFTERWORD_PAGE_CACHE_DIR = str(tmp_path / "pages")
    caches["default"].clear()
    yield
    caches["default"].clear()


def page_files(settings) -> str:
    from pathlib import Path

    folder = Path(settings.AFTERWORD_PAGE_CACHE_DIR)
    return "".join(
        path.read_text() for path in folder.rglob("index.html") if path.is_file()
    )


def test_a_private_page_read_by_its_author_is_never_stored(
    client, make, author, settings
):
    post = make("private")
    client.force_login(author)
    assert SECRET in client.get(post.get_absolute_url()).content.decode()
    reader = Client()
    response = reader.get(post.get_absolute_url())
    assert response.status_code == 404
    assert "X-Page-Cache" not in response
    assert SECRET not in page_files(settings)


def test_an_unlocked_protected_page_is_never_stored_nor_served_the_form(
    client, make, settings
):
    post = make("password")
    # An anonymous reader first: the form page is shared and may be cached.
    form = Client().get(post.get_absolute_url())
    assert form["X-Page-Cache"] == "miss"
    assert Client().get(post.get_absolute_url())["X-Page-Cache"] == "hit"

    client.post(post.get_absolute_url(), {"post_password": PASSWORD})
    assert UNLOCK_COOKIE in client.cookies
    for _ in range(2):
        opened = client.get(post.get_absolute_url())
        assert "X-Page-Cache" not in opened
        assert SECRET in opened.content.decode()

    # Other readers still get the form, from the cache, never the text.
    again = Client().get(post.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert SECRET not in again.content.decode()
    assert SECRET not in page_files(settings)


def test_unlocking_first_then_reading_stores_nothing_with_the_text(
    client, make, settings
):
    post = make("password")
    client.post(post.get_absolute_url(), {"post_password": PASSWORD})
    assert SECRET in client.get(post.get_absolute_url()).content.decode()
    fresh = Client().get(post.get_absolute_url())
    assert fresh["X-Page-Cache"] == "miss"
    assert SECRET not in fresh.content.decode()
    assert SECRET not in page_files(settings)


def test_a_post_turned_private_leaves_the_cache(
    client, make, settings, django_capture_on_commit_callbacks
):
    post = make("public")
    url = post.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert post.title in client.get("/").content.decode()
    assert SECRET in page_files(settings)

    post.visibility = Post.Visibility.PRIVATE
    with django_capture_on_commit_callbacks(execute=True):
        factories.save(post)

    assert client.get(url).status_code == 404
    assert post.title not in client.get("/").content.decode()
    assert SECRET not in page_files(settings)


def test_a_post_turned_protected_leaves_the_cache(
    client, make, settings, django_capture_on_commit_callbacks
):
    post = make("public")
    url = post.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    post.visibility = Post.Visibility.PASSWORD
    post.password = PASSWORD
    with django_capture_on_commit_callbacks(execute=True):
        factories.save(post)
    text = client.get(url).content.decode()
    assert SECRET not in text
    assert 'name="post_password"' in text
    assert SECRET not in page_files(settings)
