"""Settings for the test suite: fast hashing, in-memory mail, isolated data."""

import os
import tempfile

# Each test process gets its own data folder unless one is given, so tests never
# touch a developer's var/ and parallel runs never share files. pytest-xdist
# starts its workers with the environment of the process that first read these
# settings, folder included, so a worker makes its own rather than share it
# (its subprocesses, and a folder someone chose, keep theirs).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if (
    "AFTERWORD_DATA_DIR" not in os.environ
    or os.environ.get("AFTERWORD_TEST_DATA_DIR_FOR", _WORKER) != _WORKER
):
    os.environ["AFTERWORD_DATA_DIR"] = tempfile.mkdtemp(prefix="afterword-test-")
    os.environ["AFTERWORD_TEST_DATA_DIR_FOR"] = _WORKER


def per_worker_redis(url: str) -> str:
    """``redis://host/3`` for the first xdist worker, ``.../4`` for the second...

    Tests clear the cache they use, so two workers must never share a
    Redis database (a locmem or file cache is per process already).
    """
    number = _WORKER[2:]
    index = int(number) if _WORKER.startswith("gw") and number.isdigit() else 0
    head, slash, database = url.rpartition("/")
    if not url.startswith("redis") or not slash or not database.isdigit():
        return url
    return f"{head}/{int(database) + index}"


# Set, not defaulted, when a test cache is named: xdist workers inherit the
# variable the controller's settings set, and each needs its own database.
if os.environ.get("AFTERWORD_TEST_CACHE_URL"):
    os.environ["AFTERWORD_CACHE_URL"] = per_worker_redis(
        os.environ["AFTERWORD_TEST_CACHE_URL"]
    )
os.environ.setdefault("AFTERWORD_CACHE_URL", "locmem://tests")
os.environ.setdefault("AFTERWORD_EMAIL_URL", "memory://")
# Each feed fetch written as it comes, so a test reads its count at once;
# tests/stats/test_feeds_and_followers.py sets a delay to test the batching.
os.environ.setdefault("AFTERWORD_STATS_FLUSH_SECONDS", "0")

from .base import *  # noqa: E402, F403
from .base import DATABASES, STORAGES  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A test database is thrown away: a commit need not wait for its WAL to
    # reach the disk (PostgreSQL still never corrupts; the last commits of a
    # crash would be lost, which no test relies on).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c synchronous_commit=off"
    )

if "replica" in DATABASES:
    # The test database has no replica: the alias reads the same database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
ALLOWED_HOSTS = ["*"]
# Tasks go through the real database backend; tests that need them done run
# the worker (see tests/conftest.py: run_tasks).
