"""Read Afterword's configuration from environment variables.

Every setting has a safe default so that a fresh checkout runs with nothing
configured; docs/configuration.md lists every variable (a test keeps that list
complete). Files default to a ``var/`` folder in the *current directory*: that
is what lets one installation serve several sites. Run the ``afterword``
command from each site's folder, or point ``AFTERWORD_DATA_DIR`` at it.

A value that cannot be understood raises ``ImproperlyConfigured`` naming the
variable and what it accepts; the ``afterword`` command prints that message
instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

TRUTHY = {"1", "true", "yes", "on"}
FALSY = {"0", "false", "no", "off"}

CACHE_SCHEMES = ("file", "redis", "rediss", "locmem", "dummy")
EMAIL_SCHEMES = ("smtp", "smtps", "submission", "console", "file", "memory")
EMAIL_DEFAULT_PORTS = {"smtp": 25, "smtps": 465, "submission": 587}


def text(name: str, default: str = "") -> str:
    """The variable's value with surrounding spaces removed, or ``default``."""
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def flag(name: str, default: bool = False) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off (any case)."""
    value = text(name).lower()
    if not value:
        return default
    if value in TRUTHY:
        return True
    if value in FALSY:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value; "
        "use 1, true, yes, on or 0, false, no, off."
    )


def integer(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number variable, at least ``minimum``."""
    value = text(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def listing(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    value = text(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def integers(name: str, default: list[int]) -> list[int]:
    """A comma-separated list of whole numbers, each at least 0."""
    result = []
    for item in listing(name, []):
        try:
            number = int(item)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not a whole number; "
                "use whole numbers separated by commas, e.g. 60,300,1800."
            ) from None
        if number < 0:
            raise ImproperlyConfigured(f"{name}: {number} is below 0.")
        result.append(number)
    return result or default


def language(name: str, languages: list[tuple[str, str]]) -> str:
    """A language code among ``languages`` (``en``, ``fr``), English by default."""
    value = text(name, languages[0][0]).lower()
    codes = [code for code, _label in languages]
    if value not in codes:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a language the site ships; "
            f"use one of {', '.join(codes)}."
        )
    return value


def networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or CIDR networks, written canonically.

    ``127.0.0.1, 10.0.0.0/8, ::1`` gives ``["127.0.0.1/32", "10.0.0.0/8",
    "::1/128"]``; host bits in a network are dropped (``10.1.2.3/8`` is
    ``10.0.0.0/8``). Anything else stops the site with the entry named.
    """
    import ipaddress

    result = []
    for entry in listing(name, []):
        try:
            result.append(str(ipaddress.ip_network(entry, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is neither an IP address nor a network; "
                "use addresses or CIDR networks separated by commas, "
                "e.g. 127.0.0.1,10.0.0.0/8,::1."
            ) from None
    return result


def data_dir() -> Path:
    """The site's folder: ``AFTERWORD_DATA_DIR``, else ``./var``; created if missing.

    It holds the SQLite database, the secret key, uploaded media, collected
    static files, the file cache and the site's own templates.
    """
    path = Path(text("AFTERWORD_DATA_DIR", "var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """Return AFTERWORD_SECRET_KEY, or a key generated once and kept on disk.

    The generated key lives in ``<data dir>/secret_key``, readable by its owner
    only, so sessions and signed links survive restarts without anyone having
    to invent a key.
    """
    configured = text("AFTERWORD_SECRET_KEY")
    if configured:
        return configured
    key_file = directory / "secret_key"
    if key_file.exists():
        stored = key_file.read_text().strip()
        if stored:
            return stored
        raise ImproperlyConfigured(
            f"{key_file} is empty: delete it to generate a new secret key, "
            "or set AFTERWORD_SECRET_KEY."
        )
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
    """Translate DATABASE_URL (default: SQLite in the data dir) for Django."""
    import dj_database_url

    url = text("DATABASE_URL", f"sqlite:///{directory / 'afterword.sqlite3'}")
    try:
        config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    except (ValueError, dj_database_url.UnknownSchemeError) as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL={_redact(url)!r} is not a database URL Afterword can use "
            "(expected e.g. sqlite:////absolute/path.sqlite3 or "
            f"postgres://user:password@host:5432/name): {error}"
        ) from None
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


def database_replica(primary: dict) -> dict | None:
    """Translate DATABASE_REPLICA_URL, a read-only copy of the primary, or None.

    Same form as DATABASE_URL; only PostgreSQL (a streaming standby) makes
    sense, since SQLite has no replicas.
    """
    import dj_database_url

    url = text("DATABASE_REPLICA_URL")
    if not url:
        return None
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, dj_database_url.UnknownSchemeError) as error:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL={_redact(url)!r} is not a database URL "
            f"(expected e.g. postgres://user:password@host:5433/name): {error}"
        ) from None
    if config["ENGINE"] != primary["ENGINE"] or "sqlite" in config["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name a PostgreSQL standby of the "
            "PostgreSQL database in DATABASE_URL."
        )
    return config


def media_bucket() -> dict | None:
    """Options for the S3 media storage, or None when no bucket is named.

    ``AFTERWORD_MEDIA_S3_BUCKET`` turns it on; the endpoint, keys, region and
    public address are optional (boto3 falls back to its own environment and
    configuration files for the keys and the region).
    """
    bucket = text("AFTERWORD_MEDIA_S3_BUCKET")
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        # Uploads are public images whose names change when they are
        # replaced: permanent addresses, cached forever.
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    for name, option in (
        ("AFTERWORD_MEDIA_S3_ENDPOINT_URL", "endpoint_url"),
        ("AFTERWORD_MEDIA_S3_ACCESS_KEY", "access_key"),
        ("AFTERWORD_MEDIA_S3_SECRET_KEY", "secret_key"),
        ("AFTERWORD_MEDIA_S3_REGION", "region_name"),
        ("AFTERWORD_MEDIA_S3_PREFIX", "location"),
    ):
        if value := text(name):
            options[option] = value
    public = text("AFTERWORD_MEDIA_S3_PUBLIC_URL").rstrip("/")
    if public:
        parsed = urlparse(public)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ImproperlyConfigured(
                f"AFTERWORD_MEDIA_S3_PUBLIC_URL={public!r} is not an address; "
                "use e.g. https://media.example.org"
            )
        options["custom_domain"] = parsed.netloc + parsed.path
        options["url_protocol"] = f"{parsed.scheme}:"
    return options


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
        location = unquote(parsed.netloc + parsed.path)
        if not location:
            location = str(directory / "cache")
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(location).expanduser().resolve()),
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    raise ImproperlyConfigured(
        f"AFTERWORD_CACHE_URL={url!r} has an unknown scheme {parsed.scheme!r}; "
        f"use one of {', '.join(s + '://' for s in CACHE_SCHEMES)}."
    )


def email(directory: Path) -> dict:
    """Translate AFTERWORD_EMAIL_URL into Django's EMAIL_* settings."""
    url = text("AFTERWORD_EMAIL_URL", "console://")
    parsed = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    settings: dict = {}
    if parsed.scheme in EMAIL_DEFAULT_PORTS:
        try:
            port = parsed.port
            timeout = int(query.get("timeout", 15))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"AFTERWORD_EMAIL_URL={_redact(url)!r} has a bad port or timeout: "
                f"{error}"
            ) from None
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
        settings["EMAIL_HOST"] = parsed.hostname or "127.0.0.1"
        settings["EMAIL_PORT"] = port or EMAIL_DEFAULT_PORTS[parsed.scheme]
        settings["EMAIL_HOST_USER"] = unquote(parsed.username or "")
        settings["EMAIL_HOST_PASSWORD"] = unquote(parsed.password or "")
        settings["EMAIL_USE_SSL"] = parsed.scheme == "smtps"
        settings["EMAIL_USE_TLS"] = (
            parsed.scheme == "submission" or query.get("tls", "").lower() in TRUTHY
        )
        settings["EMAIL_TIMEOUT"] = timeout
    elif parsed.scheme == "console":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    elif parsed.scheme == "file":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        location = unquote(parsed.netloc + parsed.path)
        settings["EMAIL_FILE_PATH"] = location or str(directory / "mail")
    elif parsed.scheme == "memory":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    else:
        raise ImproperlyConfigured(
            f"AFTERWORD_EMAIL_URL={_redact(url)!r} has an unknown scheme "
            f"{parsed.scheme!r}; use one of "
            f"{', '.join(s + '://' for s in EMAIL_SCHEMES)}."
        )
    return settings


def _redact(url: str) -> str:
    """The URL with any password replaced, safe to print in an error."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@", 1)
    return url
