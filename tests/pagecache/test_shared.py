"""Invalidation reaches every process: two cache clients, one store.

Each "process" is a separate cache client instance over the same storage (a
file cache folder, or a Redis database), which is all two worker processes
share in production.
"""

from __future__ import annotations

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from afterword.pagecache.state import current_state, new_version, read_state

from .conftest import REDIS_URL, redis_cache_config, redis_or_skip


def assert_second_client_sees_first_clients_invalidation(one, other, db):
    first = current_state(one)
    assert current_state(other).version == first.version
    bumped = new_version(other)
    assert bumped.version != first.version
    assert read_state(one).version == bumped.version
    assert current_state(one).version == bumped.version


def test_file_cache_clients_share_invalidation(tmp_path, db):
    one = FileBasedCache(str(tmp_path / "cache"), {})
    other = FileBasedCache(str(tmp_path / "cache"), {})
    assert_second_client_sees_first_clients_invalidation(one, other, db)


@pytest.mark.redis
def test_redis_clients_share_invalidation(db, redis_cache):
    location = redis_cache["LOCATION"]
    params = {"KEY_PREFIX": redis_cache["KEY_PREFIX"]}
    one = RedisCache(location, params)
    other = RedisCache(location, params)
    assert_second_client_sees_first_clients_invalidation(one, other, db)


@pytest.mark.redis
def test_page_cache_works_on_redis(
    client, post_factory, redis_cache, django_assert_num_queries
):
    post_factory(title="Redline")
    assert client.get("/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert client.get("/")["X-Page-Cache"] == "hit"
    post_factory(title="Mind Game")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Mind Game" in response.content.decode()


@pytest.mark.redis
def test_redis_config_matches_what_afterword_cache_url_produces(monkeypatch, tmp_path):
    from afterword.config import environment

    redis_or_skip(REDIS_URL)
    monkeypatch.setenv("AFTERWORD_CACHE_URL", REDIS_URL)
    config = environment.cache(tmp_path)
    assert config["BACKEND"] == redis_cache_config("x")["BACKEND"]
    with override_settings(CACHES={"default": config}):
        from django.core.cache import caches

        caches["default"].set("afterword-test-probe", 1, 5)
        assert caches["default"].get("afterword-test-probe") == 1
        caches["default"].delete("afterword-test-probe")
