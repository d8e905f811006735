"""Fixtures for the page cache: a clean shared cache, posts, the cache on."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from afterword.config.settings.test import per_worker_redis

# Database 13, and 14 for a second xdist worker (the suite's cache uses 3, 4).
REDIS_URL = per_worker_redis(
    os.environ.get("AFTERWORD_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """Every test starts with an empty cache and the page cache switched on."""
    settings.AFTERWORD_PAGE_CACHE = True
    settings.AFTERWORD_PAGE_CACHE_DIR = ""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Save a post through the real service and run its on-commit signals."""
    from tests import factories

    def save(post):
        with django_capture_on_commit_callbacks(execute=True):
            return factories.save(post)

    return save


def redis_or_skip(url: str) -> None:
    """Skip when Redis is unreachable, unless services are required (CI)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        reason = f"Redis is not reachable at {url}: {error}"
        if os.environ.get("AFTERWORD_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        print(reason)
        pytest.skip(reason)


def redis_cache_config(prefix: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
        "TIMEOUT": None,
    }


@pytest.fixture
def redis_cache():
    """Point the default cache at Redis under a key prefix of its own."""
    import redis

    redis_or_skip(REDIS_URL)
    prefix = f"afterword-test-{uuid.uuid4().hex[:10]}"
    config = redis_cache_config(prefix)
    with override_settings(CACHES={"default": config}):
        yield config
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
