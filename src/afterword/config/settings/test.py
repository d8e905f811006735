"""Settings for the test suite: fast hashing, in-memory mail, isolated data."""

import os
import tempfile

# Each test process gets its own data folder unless one is given, so tests never
# touch a developer's var/ and parallel runs never share files. pytest-xdist's
# workers inherit the controller's environment, folder included: each takes a
# folder of its own.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["AFTERWORD_DATA_DIR"] = tempfile.mkdtemp(
        prefix=f"afterword-test-{os.environ['PYTEST_XDIST_WORKER']}-"
    )
os.environ.setdefault("AFTERWORD_DATA_DIR", tempfile.mkdtemp(prefix="afterword-test-"))
os.environ.setdefault(
    "AFTERWORD_CACHE_URL", os.environ.get("AFTERWORD_TEST_CACHE_URL", "locmem://tests")
)
os.environ.setdefault("AFTERWORD_EMAIL_URL", "memory://")

from .base import *  # noqa: F403
from .base import STORAGES

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
