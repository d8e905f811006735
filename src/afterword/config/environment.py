"""Read Afterword's configuration from environment variables.

Every setting has a safe default so that a fresh checkout runs with nothing
configured; see docs/configuration.md for the full list. Paths default to a
``var/`` folder in the current directory, which is what lets one installation
serve several sites: run the ``afterword`` command from each site's folder, or
point ``AFTERWORD_DATA_DIR`` at it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

TRUTHY = {"1", "true", "yes", "on"}


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUTHY


def text(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def listing(name: str, default: list[str]) -> list[str]:
    value = text(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(text("AFTERWORD_DATA_DIR", "var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """Return AFTERWORD_SECRET_KEY, or a key generated once and kept on disk."""
    configured = text("AFTERWORD_SECRET_KEY")
    if configured:
        return configured
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions; a race with another process is
    # settled by O_EXCL and re-reading whatever the winner wrote.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database(directory: Path) -> dict:
    import dj_database_url

    url = text("DATABASE_URL", f"sqlite:///{directory / 'afterword.sqlite3'}")
    config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers proceed while one writer writes; IMMEDIATE
            # transactions take the write lock up front so concurrent writers
            # wait on busy_timeout instead of failing with "database is locked".
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 10,
        }
    else:
        config["CONN_MAX_AGE"] = 60
    return config


def cache(directory: Path) -> dict:
    """Translate AFTERWORD_CACHE_URL into Django's CACHES['default'].

    The default is a file cache under var/: unlike local memory it is shared by
    every worker process on the machine, so invalidation reaches all of them.
    """
    url = text("AFTERWORD_CACHE_URL", f"file://{directory / 'cache'}")
    parsed = urlparse(url)
    if parsed.scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": text("AFTERWORD_CACHE_PREFIX", "afterword"),
            "TIMEOUT": None,
        }
    if parsed.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parsed.netloc or "afterword",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if parsed.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parsed.scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": unquote(parsed.path),
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    raise ValueError(f"AFTERWORD_CACHE_URL has an unknown scheme: {parsed.scheme!r}")


def email(directory: Path) -> dict:
    """Translate AFTERWORD_EMAIL_URL into Django's EMAIL_* settings."""
    url = text("AFTERWORD_EMAIL_URL", "console://")
    parsed = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    settings: dict = {}
    if parsed.scheme in {"smtp", "smtps", "submission"}:
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
        settings["EMAIL_HOST"] = parsed.hostname or "127.0.0.1"
        default_port = {"smtp": 25, "smtps": 465, "submission": 587}[parsed.scheme]
        settings["EMAIL_PORT"] = parsed.port or default_port
        settings["EMAIL_HOST_USER"] = unquote(parsed.username or "")
        settings["EMAIL_HOST_PASSWORD"] = unquote(parsed.password or "")
        settings["EMAIL_USE_SSL"] = parsed.scheme == "smtps"
        settings["EMAIL_USE_TLS"] = parsed.scheme == "submission" or query.get(
            "tls"
        ) in TRUTHY
        settings["EMAIL_TIMEOUT"] = int(query.get("timeout", 15))
    elif parsed.scheme == "console":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    elif parsed.scheme == "file":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        settings["EMAIL_FILE_PATH"] = unquote(parsed.path) or str(directory / "mail")
    elif parsed.scheme == "memory":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    else:
        raise ValueError(f"AFTERWORD_EMAIL_URL has an unknown scheme: {parsed.scheme!r}")
    return settings
